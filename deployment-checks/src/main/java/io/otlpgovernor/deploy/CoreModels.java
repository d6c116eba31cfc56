package io.otlpgovernor.deploy;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1Ingress;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Pod;
import io.kubernetes.client.openapi.models.V1PodDisruptionBudget;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1Secret;
import io.kubernetes.client.openapi.models.V1Service;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.openapi.models.V2HorizontalPodAutoscaler;

/**
 * Strict validation of core Kubernetes resources with the official Java client's models, whose JSON readers refuse
 * unknown fields, missing required fields and wrong types. A kind this class does not know is a problem, not a pass:
 * add its model here when the chart starts to render it.
 */
public final class CoreModels {

    /** apiVersion/kind → the model that reads it. */
    static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", V1ConfigMap.class),
            Map.entry("v1/Secret", V1Secret.class),
            Map.entry("v1/Service", V1Service.class),
            Map.entry("v1/ServiceAccount", V1ServiceAccount.class),
            Map.entry("v1/Pod", V1Pod.class),
            Map.entry("apps/v1/Deployment", V1Deployment.class),
            Map.entry("networking.k8s.io/v1/Ingress", V1Ingress.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", V1NetworkPolicy.class),
            Map.entry("policy/v1/PodDisruptionBudget", V1PodDisruptionBudget.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", V2HorizontalPodAutoscaler.class),
            Map.entry("rbac.authorization.k8s.io/v1/Role", V1Role.class),
            Map.entry("rbac.authorization.k8s.io/v1/RoleBinding", V1RoleBinding.class));

    private CoreModels() {}

    /** Whether the resource is a core kind this class validates. */
    public static boolean knows(Manifest manifest) {
        return MODELS.containsKey(manifest.apiVersion() + "/" + manifest.kind());
    }

    /** Problems of a core resource; a kind without a model is one. */
    public static List<Problem> validate(Manifest manifest) {
        Class<?> model = MODELS.get(manifest.apiVersion() + "/" + manifest.kind());
        if (model == null) {
            return List.of(new Problem(
                    manifest.where(),
                    "no model for apiVersion " + manifest.apiVersion() + " kind " + manifest.kind()
                            + ": not a kind these checks know (add it to CoreModels, or fix apiVersion/kind)"));
        }
        return read(model, manifest.json())
                .map(message -> List.of(new Problem(manifest.where(), message)))
                .orElse(List.of());
    }

    /** Problems of {@code json} read as {@code model} (e.g. a pod template as {@code V1Pod}), if any. */
    static Optional<String> read(Class<?> model, String json) {
        try {
            Method fromJson = model.getMethod("fromJson", String.class);
            fromJson.invoke(null, json);
            return Optional.empty();
        } catch (InvocationTargetException e) {
            return Optional.of(model.getSimpleName() + ": " + shorten(e.getCause()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(model + " has no fromJson(String)", e);
        }
    }

    /**
     * The model's message without the JSON it quotes (the whole resource), e.g. "The field `replica` in the JSON string
     * is not defined in the `V1DeploymentSpec` properties".
     */
    static String shorten(Throwable error) {
        String message = String.valueOf(error.getMessage());
        for (String cut : new String[] {". JSON:", " JSON:", " in the JSON string:", ": {", " but got `{"}) {
            int at = message.indexOf(cut);
            if (at > 0) {
                message = message.substring(0, at);
            }
        }
        return message.length() > 400 ? message.substring(0, 400) + "…" : message;
    }
}
