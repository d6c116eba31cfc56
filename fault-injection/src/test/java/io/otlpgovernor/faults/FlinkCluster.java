package io.otlpgovernor.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.awaitility.Awaitility.await;

/**
 * A Flink session cluster from Flink's own entry points, each in its own JVM: a JobManager
 * ({@code StandaloneSessionClusterEntrypoint}) and two TaskManagers ({@code TaskManagerRunner}) with one slot each,
 * configured by a generated {@code config.yaml}. Jobs are submitted through the REST API, as {@code flink run} would.
 */
final class FlinkCluster implements AutoCloseable {

    static final int TASK_MANAGERS = 2;
    private static final Duration READY = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final int restPort;
    private final JavaProcess jobManager;
    private final List<JavaProcess> taskManagers = new ArrayList<>();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private FlinkCluster(Path dir) {
        this.dir = dir;
        this.restPort = Ports.free();
        Path confDir = writeConfig(dir, restPort, Ports.free());
        List<String> args = List.of("--configDir", confDir.toString());
        jobManager = new JavaProcess(
                "jobmanager",
                jvmArgs(dir, "384m"),
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                args,
                Map.of(),
                dir);
        for (int i = 1; i <= TASK_MANAGERS; i++) {
            taskManagers.add(new JavaProcess(
                    "taskmanager-" + i,
                    jvmArgs(dir, "320m"),
                    "org.apache.flink.runtime.taskexecutor.TaskManagerRunner",
                    args,
                    Map.of(),
                    dir));
        }
    }

    /** Starts the JobManager and both TaskManagers and waits until the JobManager has both registered. */
    static FlinkCluster start(Path dir) {
        FlinkCluster cluster = new FlinkCluster(dir);
        try {
            cluster.jobManager.start();
            cluster.taskManagers.forEach(JavaProcess::start);
            cluster.awaitTaskManagers(TASK_MANAGERS);
            return cluster;
        } catch (RuntimeException | Error e) {
            cluster.close();
            throw e;
        }
    }

    private static List<String> jvmArgs(Path dir, String heap) {
        List<String> args = new ArrayList<>(List.of(
                "-Xmx" + heap,
                "-XX:MaxDirectMemorySize=256m",
                "-XX:+UseSerialGC",
                "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                "-Dlog4j.configurationFile=" + LogConfig.write(dir),
                "-Dlog4j2.configurationFile=" + LogConfig.write(dir)));
        args.addAll(JAVA_17_OPENS);
        return args;
    }

    /** What Flink's distribution passes on Java 17 ({@code env.java.opts.all}): its serializers reflect into the JDK. */
    private static final List<String> JAVA_17_OPENS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED",
            "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED",
            "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static Path writeConfig(Path dir, int restPort, int rpcPort) {
        Map<String, String> config = new java.util.LinkedHashMap<>();
        config.put("jobmanager.rpc.address", "localhost");
        config.put("jobmanager.rpc.port", Integer.toString(rpcPort));
        config.put("jobmanager.bind-host", "localhost");
        config.put("rest.address", "localhost");
        config.put("rest.bind-address", "localhost");
        config.put("rest.port", Integer.toString(restPort));
        config.put("blob.server.port", "0");
        config.put("taskmanager.host", "localhost");
        config.put("taskmanager.bind-host", "localhost");
        config.put("taskmanager.rpc.port", "0");
        config.put("taskmanager.data.port", "0");
        config.put("taskmanager.numberOfTaskSlots", "1");
        // TaskManagerRunner started without Flink's scripts needs every memory component set explicitly.
        config.put("taskmanager.cpu.cores", "1");
        config.put("taskmanager.memory.framework.heap.size", "64m");
        config.put("taskmanager.memory.task.heap.size", "160m");
        config.put("taskmanager.memory.framework.off-heap.size", "64m");
        config.put("taskmanager.memory.task.off-heap.size", "0m");
        config.put("taskmanager.memory.network.min", "32m");
        config.put("taskmanager.memory.network.max", "32m");
        config.put("taskmanager.memory.managed.size", "64m");
        config.put("taskmanager.memory.jvm-metaspace.size", "128m");
        config.put("taskmanager.memory.jvm-overhead.min", "64m");
        config.put("taskmanager.memory.jvm-overhead.max", "64m");
        config.put("jobmanager.memory.process.size", "600m");
        // A killed TaskManager is noticed through its closed connection; a frozen one only by the heartbeat timeout.
        config.put("heartbeat.interval", "2000");
        config.put("heartbeat.timeout", "10000");
        config.put("io.tmp.dirs", dir.resolve("tmp").toString());
        config.put("web.upload.dir", dir.resolve("uploads").toString());
        config.put("web.submit.enable", "true");
        try {
            Path confDir = dir.resolve("flink-conf");
            Files.createDirectories(confDir);
            Files.createDirectories(dir.resolve("tmp"));
            Files.createDirectories(dir.resolve("uploads"));
            StringBuilder yaml = new StringBuilder();
            config.forEach(
                    (key, value) -> yaml.append(key).append(": ").append(value).append('\n'));
            Files.writeString(confDir.resolve("config.yaml"), yaml);
            return confDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JavaProcess taskManager(int index) {
        return taskManagers.get(index);
    }

    /** Starts a killed TaskManager again and waits until the JobManager sees both TaskManagers. */
    void restartTaskManager(int index) {
        taskManagers.get(index).start();
        awaitTaskManagers(TASK_MANAGERS);
    }

    private void awaitTaskManagers(int count) {
        await("Flink TaskManagers")
                .atMost(READY)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> {
                    if (!jobManager.isAlive()) {
                        throw new IllegalStateException("the JobManager exited:\n" + jobManager.tail());
                    }
                    return get("/taskmanagers").path("taskmanagers").size() == count;
                });
    }

    /** Uploads the job jar (POST /jars/upload) and runs it (POST /jars/:id/run) with {@code programArgs}; returns the job id. */
    String submit(Path jar, String entryClass, List<String> programArgs) throws IOException, InterruptedException {
        String boundary = "----fault-injection-" + System.nanoTime();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest upload = HttpRequest.newBuilder(uri("/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(
                        HttpRequest.BodyPublishers.ofByteArray(head),
                        HttpRequest.BodyPublishers.ofFile(jar),
                        HttpRequest.BodyPublishers.ofByteArray(tail)))
                .build();
        JsonNode uploaded = send(upload);
        String jarId = Path.of(uploaded.path("filename").asText()).getFileName().toString();
        String body = JSON.writeValueAsString(Map.of("entryClass", entryClass, "programArgsList", programArgs));
        HttpRequest run = HttpRequest.newBuilder(uri("/jars/" + jarId + "/run"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(run).path("jobid").asText();
    }

    /** Waits until every task of the job is RUNNING (after a submission or a recovery). */
    void awaitRunning(String jobId) {
        await("job " + jobId + " running")
                .atMost(READY)
                .pollInterval(Duration.ofMillis(500))
                .ignoreExceptions()
                .until(() -> isRunning(jobId));
    }

    /** Whether every task of the job is RUNNING; fails when the job has ended. */
    boolean isRunning(String jobId) throws IOException, InterruptedException {
        JsonNode job = get("/jobs/" + jobId);
        String state = job.path("state").asText();
        if (state.equals("FAILED") || state.equals("CANCELED") || state.equals("FINISHED")) {
            throw new IllegalStateException("job " + jobId + " is " + state);
        }
        return state.equals("RUNNING")
                && job.path("vertices").findValuesAsText("status").stream().allMatch("RUNNING"::equals);
    }

    /** Number of checkpoints the job has completed. */
    long completedCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints")
                .path("counts")
                .path("completed")
                .asLong();
    }

    /** Number of times the job restarted from a checkpoint. */
    long restoredCheckpoints(String jobId) throws IOException, InterruptedException {
        return get("/jobs/" + jobId + "/checkpoints")
                .path("counts")
                .path("restored")
                .asLong();
    }

    void cancel(String jobId) throws IOException, InterruptedException {
        http.send(
                HttpRequest.newBuilder(uri("/jobs/" + jobId))
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.discarding());
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET().build());
    }

    private JsonNode send(HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IOException(
                    request.method() + " " + request.uri() + ": " + response.statusCode() + " " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + restPort + path);
    }

    @Override
    public void close() {
        taskManagers.forEach(JavaProcess::close);
        jobManager.close();
    }
}
