"""Reading what otlp-governor writes to Kafka, as pandas data frames, for the notebooks in this folder.

Plain functions, no state. The Kafka cluster is the one in the environment variable GOVERNOR_BOOTSTRAP_SERVERS
(default localhost:9092, where `./otlp-governor local` runs it).

Nothing here returns or prints a governed payload: governed records are reduced to their headers and to the sampling
threshold of each span (from its `tracestate`). The usage and audit documents hold counts, rule ids, labels and field
paths, never values (see docs/design.md#audit-and-usage).
"""

import json
import os
from collections import namedtuple
from pathlib import Path

import pandas as pd
import yaml
from kafka import KafkaConsumer, TopicPartition

BOOTSTRAP_ENV = "GOVERNOR_BOOTSTRAP_SERVERS"
USAGE_TOPIC = "governor_usage"
AUDIT_TOPIC = "governor_audit"
DEAD_LETTER_TOPIC = "governor_deadletter"
TRUTH_TOPIC = "demo_truth"
SUBJECTS_TOPIC = "governor_subjects"
ACCESS_REPORTS_ENV = "GOVERNOR_ACCESS_REPORTS"
SIGNALS = ("spans", "logs", "metrics")
DROP_REASONS = ("quota", "sampling", "policy", "age", "tail", "cardinality")
PROTECTION_ACTIONS = ("redact", "hash", "drop-attribute", "drop-record", "tag")
RULES_DIR = Path(__file__).resolve().parent.parent / "governance-rules" / "rules"

Record = namedtuple("Record", "topic partition offset timestamp key value headers")


def bootstrap_servers():
    """The Kafka cluster to read: $GOVERNOR_BOOTSTRAP_SERVERS, or localhost:9092."""
    return os.environ.get(BOOTSTRAP_ENV, "localhost:9092")


def _consumer(bootstrap):
    # The output topics are written in transactions: read only committed data.
    committed = "isolation_level" in KafkaConsumer.DEFAULT_CONFIG
    options = {"isolation_level": "read_committed"} if committed else {}
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, enable_auto_commit=False,
                             consumer_timeout_ms=2000, api_version_auto_timeout_ms=10000, **options)
    if not committed:
        # kafka-python 2.0 (Debian 12) has no isolation_level setting, but its fetch requests carry the level its
        # fetcher holds: 1 is read_committed.
        consumer._fetcher._isolation_level = 1
    return consumer


def _is_control_record(record):
    """Transaction markers, which kafka-python 2.0 hands out like data: a 4-byte key starting with version 0."""
    return record.key is not None and len(record.key) == 4 and record.key[:2] == b"\x00\x00" and not record.headers


def read_records(topics, bootstrap=None):
    """Every committed record of `topics` (names of existing topics; others are skipped), from the beginning."""
    consumer = _consumer(bootstrap or bootstrap_servers())
    try:
        existing = consumer.topics()
        partitions = [TopicPartition(topic, p) for topic in topics if topic in existing
                      for p in sorted(consumer.partitions_for_topic(topic) or [])]
        if not partitions:
            return []
        consumer.assign(partitions)
        consumer.seek_to_beginning()
        ends = consumer.end_offsets(partitions)
        records = []
        # Stops at the end offsets seen at the start, or when nothing more comes (an open transaction's records
        # stay invisible until it commits).
        while any(consumer.position(tp) < end for tp, end in ends.items()):
            batch = consumer.poll(timeout_ms=2000)
            if not batch:
                break
            for polled in batch.values():
                records.extend(Record(r.topic, r.partition, r.offset, r.timestamp, r.key, r.value, dict(r.headers))
                               for r in polled if not _is_control_record(r))
        return records
    finally:
        consumer.close()


def read_documents(topic, bootstrap=None):
    """The JSON documents of `topic` (usage, audit, demo truth)."""
    return [json.loads(record.value) for record in read_records([topic], bootstrap)]


def governed_topics(bootstrap=None):
    """The names of the governed_<signal>_<tier> topics that exist."""
    consumer = _consumer(bootstrap or bootstrap_servers())
    try:
        return sorted(topic for topic in consumer.topics() if topic.startswith("governed_"))
    finally:
        consumer.close()


def usage_frame(documents):
    """One row per usage document and signal: tenant, minute, signal, received, accepted, dropped_<reason>, ...

    Documents are additive (a late one can follow for the same minute): sum rows per tenant, minute and signal.
    """
    rows = []
    for document in documents:
        for signal, usage in document.get("signals", {}).items():
            row = {"tenant": document["tenant"], "minute": pd.Timestamp(document["minute"]), "signal": signal,
                   "received": usage["received"], "accepted": usage["accepted"],
                   "invalid_requests": usage["invalid_requests"], "bytes_in": usage["bytes_in"],
                   "bytes_out": usage["bytes_out"], "represented": usage["represented"]}
            for reason in DROP_REASONS:
                row["dropped_" + reason] = usage["dropped"].get(reason, 0)
            rows.append(row)
    columns = ["tenant", "minute", "signal", "received", "accepted", "invalid_requests", "bytes_in", "bytes_out",
               "represented"] + ["dropped_" + reason for reason in DROP_REASONS]
    return pd.DataFrame(rows, columns=columns)


CARDINALITY_COUNTS = ("data_points", "new_series", "rejected_points", "stripped_points", "tagged_points",
                      "over_limit_series_estimate")


def cardinality_frame(documents):
    """One row per cardinality document (type "cardinality" on the usage topic) and metric: tenant, minute, key,
    metric, active_series and limit (None when the metric has none) of the metric, the minute's counts
    (CARDINALITY_COUNTS), and key_active_series and max_series (the tenant-wide limit, or None) of the document.

    A tenant with a tenant-wide limit (max-series) has one key, the tenant: its documents cover all its metrics. A
    tenant with per-metric limits only has one key per metric ("acme/orders.placed"). Either way one minute has at most
    one row per metric, and only metrics with data points in that minute have one.
    """
    rows = []
    for document in documents:
        if document.get("type") != "cardinality":
            continue
        for metric, values in document.get("metrics", {}).items():
            row = {"tenant": document["tenant"], "minute": pd.Timestamp(document["minute"]), "key": document["key"],
                   "metric": metric, "active_series": values["active_series"], "limit": values.get("limit"),
                   "key_active_series": document["active_series"], "max_series": document.get("max_series")}
            for count in CARDINALITY_COUNTS:
                row[count] = values.get(count, 0)
            rows.append(row)
    columns = ["tenant", "minute", "key", "metric", "active_series", "limit"] + list(CARDINALITY_COUNTS) + \
        ["key_active_series", "max_series"]
    frame = pd.DataFrame(rows, columns=columns)
    # Numbers, NaN for "no limit", so that active / limit is a fraction wherever there is one.
    frame["limit"] = pd.to_numeric(frame["limit"])
    frame["max_series"] = pd.to_numeric(frame["max_series"])
    return frame


def tenant_series_frame(cardinality):
    """Per tenant and minute, from a cardinality_frame: active_series of the whole tenant and max_series, its
    tenant-wide limit (None without one).

    With a tenant-wide limit the document says the tenant's total itself; with per-metric limits it is the sum of the
    metrics' active series (of the metrics with data points in that minute).
    """
    rows = []
    for (tenant, minute), group in cardinality.groupby(["tenant", "minute"]):
        tenant_wide = group[group.key == tenant]
        active = tenant_wide.key_active_series.max() if len(tenant_wide) else group.active_series.sum()
        limit = tenant_wide.max_series.max() if len(tenant_wide) else None
        rows.append({"tenant": tenant, "minute": minute, "active_series": int(active),
                     "max_series": None if pd.isna(limit) else int(limit)})
    return pd.DataFrame(rows, columns=["tenant", "minute", "active_series", "max_series"])


def tier_frame(documents):
    """One row per usage document, signal and retention tier: items, bytes_out, represented."""
    rows = [{"tenant": document["tenant"], "minute": pd.Timestamp(document["minute"]), "signal": signal, "tier": tier,
             "items": amounts["items"], "bytes_out": amounts["bytes_out"], "represented": amounts["represented"]}
            for document in documents
            for signal, usage in document.get("signals", {}).items()
            for tier, amounts in usage.get("tiers", {}).items()]
    return pd.DataFrame(rows, columns=["tenant", "minute", "signal", "tier", "items", "bytes_out", "represented"])


def audit_frame(documents):
    """One row per entry of the governance-summary documents: tenant, window_start, rule_set_version, rule, label,
    action, target (a field path, or a tier for route and expire), count."""
    rows = [{"tenant": document["tenant"], "window_start": pd.Timestamp(document["window_start"]),
             "rule_set_version": entry["rule_set_version"], "rule": entry["rule"], "label": entry.get("label", ""),
             "action": entry["action"], "target": entry.get("field", entry.get("tier", "")), "count": entry["count"]}
            for document in documents if document.get("type") == "governance-summary"
            for entry in document["entries"]]
    return pd.DataFrame(rows, columns=["tenant", "window_start", "rule_set_version", "rule", "label", "action",
                                       "target", "count"])


def rule_changes_frame(documents):
    """The rule-set-change documents: tenant, outcome, version, previous_version, problems."""
    rows = [{"tenant": d["tenant"], "outcome": d["outcome"], "version": d.get("version"),
             "previous_version": d.get("previous_version"), "problems": len(d.get("problems", []))}
            for d in documents if d.get("type") == "rule-set-change"]
    return pd.DataFrame(rows, columns=["tenant", "outcome", "version", "previous_version", "problems"])


def truth_frame(documents):
    """The demo workload's truth documents: what it sent per tenant, acknowledged by the bridge (additive)."""
    rows = [{"tenant": d["tenant"], "at": pd.Timestamp(d["at"]), "traces": d["traces"], "spans": d["spans"],
             "logs": d["log_records"], "metrics": d["data_points"], "invalid_records": d.get("invalid_records", 0),
             "failed": sum(d.get("failed", {}).values())}
            for d in documents if d.get("type") == "demo-truth"]
    return pd.DataFrame(rows, columns=["tenant", "at", "traces", "spans", "logs", "metrics", "invalid_records", "failed"])


def _header(record, name):
    value = record.headers.get(name)
    return value.decode("utf-8") if value is not None else None


def governed_frame(records):
    """One row per governed record, from its headers only: topic, tenant, signal, tier, rule_set_version, labels."""
    rows = [{"topic": r.topic, "tenant": _header(r, "tenant"), "signal": _header(r, "signal"),
             "tier": _header(r, "retention-tier"), "rule_set_version": _header(r, "rule-set-version"),
             "labels": _header(r, "classification-labels") or "", "bytes": len(r.value or b"")}
            for r in records]
    return pd.DataFrame(rows, columns=["topic", "tenant", "signal", "tier", "rule_set_version", "labels", "bytes"])


def dead_letter_frame(records):
    """One row per dead letter, from its headers: tenant (when well-formed), source_topic, reason."""
    rows = [{"tenant": _header(r, "tenant") or "(unknown)", "source_topic": _header(r, "source-topic"),
             "reason": _header(r, "dead-letter-reason")}
            for r in records]
    return pd.DataFrame(rows, columns=["tenant", "source_topic", "reason"])


# --- Data-subject requests -------------------------------------------------------------------------------------------

def subject_requests_frame(records):
    """The data-subject requests on the compacted subjects topic, latest record per entry: tenant, entry, kind,
    action, requested, keys (the key ids it holds pseudonyms under), state (suppressed, or lifted by a tombstone).
    The pseudonyms themselves are not returned."""
    latest = {}
    for record in sorted(records, key=lambda r: (r.partition, r.offset)):
        key = record.key.decode("utf-8") if record.key else ""
        tenant, _, entry = key.partition("/")
        if record.value is None:
            if key in latest:
                latest[key] = dict(latest[key], state="lifted")
            continue
        document = json.loads(record.value)
        latest[key] = {"tenant": document["tenant"], "entry": document["id"], "kind": document["kind"],
                       "action": document["action"], "requested": pd.Timestamp(document["requested"]),
                       "keys": ", ".join(sorted(document.get("pseudonyms", {}))), "state": "suppressed"}
    return pd.DataFrame(list(latest.values()),
                        columns=["tenant", "entry", "kind", "action", "requested", "keys", "state"])


def subject_changes_frame(documents):
    """The subject-change audit documents: one per governing task that applied a subjects-topic record — tenant,
    entry, outcome (suppressed, lifted, rejected), matches (for a suppression: raw-and-pseudonyms, or
    pseudonyms-only when the job holds none of the entry's keys), task, tasks, applied_at."""
    rows = [{"tenant": d["tenant"], "entry": d["entry"], "outcome": d["outcome"], "matches": d.get("matches", ""),
             "task": d["task"], "tasks": d["tasks"], "applied_at": pd.Timestamp(d["applied_at"])}
            for d in documents if d.get("type") == "subject-change"]
    return pd.DataFrame(rows, columns=["tenant", "entry", "outcome", "matches", "task", "tasks", "applied_at"])


def subject_evidence(requests, changes, audit):
    """Per request: when it took effect in every governing task (the latest task's report of its current state),
    the seconds from the request to that, and the items suppressed since (audit subject-suppressed under its id)."""
    suppressed = audit[audit["action"] == "subject-suppressed"].groupby(["tenant", "rule"])["count"].sum()
    rows = []
    for _, request in requests.iterrows():
        reports = changes[(changes.tenant == request.tenant) & (changes.entry == request.entry)
                          & (changes.outcome == request.state)]
        everywhere = reports.task.nunique() == reports.tasks.max() if len(reports) else False
        effective = reports.groupby("task").applied_at.max().max() if everywhere else pd.NaT
        rows.append({"tenant": request.tenant, "entry": request.entry, "state": request.state,
                     "matches": ", ".join(sorted(set(reports.matches) - {""})),
                     "requested": request.requested, "tasks_reporting": f"{reports.task.nunique()}/"
                     f"{int(reports.tasks.max()) if len(reports) else '?'}",
                     "in_effect_everywhere_at": effective,
                     "seconds_to_effect": (effective - request.requested).total_seconds() if everywhere else None,
                     "items_suppressed": int(suppressed.get((request.tenant, request.entry), 0))})
    return pd.DataFrame(rows, columns=["tenant", "entry", "state", "matches", "requested", "tasks_reporting",
                                       "in_effect_everywhere_at", "seconds_to_effect", "items_suppressed"])


def access_reports(location=None):
    """The subject access reports (`subjects find --output`) in $GOVERNOR_ACCESS_REPORTS (a directory of .json
    files, or one file), or the access*.json files at the repository's root: one row per place that holds the
    subject — tenant, entry, topic, partition, records, first_time, last_time, forms, removed_by."""
    location = location or os.environ.get(ACCESS_REPORTS_ENV)
    if location is None:
        files = sorted(RULES_DIR.parent.parent.glob("access*.json"))
    else:
        location = Path(location)
        files = sorted(location.glob("*.json")) if location.is_dir() else [location]
    rows = []
    for path in files:
        report = json.loads(path.read_text())
        if report.get("type") != "subject-access-report":
            continue
        for place in report["held_in"]:
            rows.append({"tenant": report["tenant"], "entry": report["entry"], "topic": place["topic"],
                         "partition": place["partition"], "records": place["records"],
                         "first_time": pd.Timestamp(place["first_time"]), "last_time": pd.Timestamp(place["last_time"]),
                         "forms": ", ".join(f"{form} ({count})" for form, count in sorted(place["forms"].items())),
                         "removed_by": pd.Timestamp(place["removed_by_retention_by"])
                         if place.get("removed_by_retention_by") else pd.NaT})
    return pd.DataFrame(rows, columns=["tenant", "entry", "topic", "partition", "records", "first_time", "last_time",
                                       "forms", "removed_by"])


# --- Sampling thresholds of governed spans --------------------------------------------------------------------------

def _varint(buffer, i):
    value, shift = 0, 0
    while True:
        byte = buffer[i]
        i += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, i
        shift += 7


def _fields(buffer):
    """(field number, value) of each field of a protobuf message; length-delimited values as bytes."""
    i = 0
    while i < len(buffer):
        key, i = _varint(buffer, i)
        field, wire_type = key >> 3, key & 7
        if wire_type == 0:
            value, i = _varint(buffer, i)
        elif wire_type == 1:
            value, i = buffer[i:i + 8], i + 8
        elif wire_type == 2:
            length, i = _varint(buffer, i)
            value, i = buffer[i:i + length], i + length
        elif wire_type == 5:
            value, i = buffer[i:i + 4], i + 4
        else:
            raise ValueError("unsupported protobuf wire type %d" % wire_type)
        yield field, value


def span_trace_states(payload):
    """(trace id as hex, `tracestate`) of every span of an ExportTraceServiceRequest (resource_spans=1 >
    scope_spans=2 > spans=2 > trace_id=1, trace_state=3). Nothing else of the payload is decoded."""
    for field, resource_spans in _fields(payload):
        if field != 1:
            continue
        for field2, scope_spans in _fields(resource_spans):
            if field2 != 2:
                continue
            for field3, span in _fields(scope_spans):
                if field3 == 2:
                    fields = dict((f, v) for f, v in _fields(span) if f in (1, 3))
                    yield bytes(fields.get(1, b"")).hex(), bytes(fields.get(3, b"")).decode("utf-8")


def adjusted_count(trace_state):
    """What one kept span stands for: 2^56 / (2^56 - T) for the threshold T in its `ot=th:…`, 1 without one
    (OpenTelemetry consistent probability sampling; see docs/design.md#consistent-probability-sampling)."""
    for member in trace_state.split(","):
        key, _, value = member.strip().partition("=")
        if key != "ot":
            continue
        for sub in value.split(";"):
            name, _, th = sub.partition(":")
            if name == "th" and th:
                threshold = int(th.ljust(14, "0"), 16)
                return 2 ** 56 / (2 ** 56 - threshold)
    return 1.0


def span_sampling_frame(records):
    """One row per governed span: tenant, tier, trace_id, adjusted_count (from the span's sampling threshold)."""
    rows = [{"tenant": _header(r, "tenant"), "tier": _header(r, "retention-tier"), "trace_id": trace_id,
             "adjusted_count": adjusted_count(trace_state)}
            for r in records if _header(r, "signal") == "spans"
            for trace_id, trace_state in span_trace_states(r.value)]
    return pd.DataFrame(rows, columns=["tenant", "tier", "trace_id", "adjusted_count"])


def estimate_variance(spans):
    """Per tenant, the estimated variance of its represented span count, from a span_sampling_frame.

    Sampling keeps or drops whole traces, so a trace's spans are one draw: a kept trace of n spans with adjusted count
    a contributes a(a - 1)n² (the Horvitz-Thompson variance estimate, with traces as the units).
    """
    traces = spans.groupby(["tenant", "trace_id"])["adjusted_count"].agg(["size", "mean"])
    return (traces["mean"] * (traces["mean"] - 1) * traces["size"] ** 2).groupby("tenant").sum()


# --- Rule files and compliance controls -----------------------------------------------------------------------------

def tenant_rules(rules_dir=RULES_DIR):
    """Each tenant's rule file (governance-rules/rules/tenants/*.yaml) as a dict, by tenant id."""
    rules = {}
    for path in sorted(Path(rules_dir, "tenants").glob("*.yaml")):
        with open(path, encoding="utf-8") as file:
            document = yaml.safe_load(file)
        rules[document["tenant"]] = document
    return rules


def quota_frame(rules):
    """Each tenant's rate quota: tenant, unit (items or bytes), per_second, burst, over_quota."""
    rows = []
    for tenant, document in rules.items():
        rate = (document.get("quotas") or {}).get("rate")
        if rate:
            rows.append({"tenant": tenant, "unit": rate.get("unit", "items"), "per_second": rate["per-second"],
                         "burst": rate.get("burst", rate["per-second"]),
                         "over_quota": document["quotas"].get("over-quota", "drop")})
    return pd.DataFrame(rows, columns=["tenant", "unit", "per_second", "burst", "over_quota"])


# The technical controls each preset implements (docs/rules/presets.md), and which audit entries are evidence of
# each: a predicate on one audit row.
CREDENTIAL_DETECTORS = {"bearer-token", "cloud-access-key", "private-key", "jwt", "sensitive-key-name"}
AUTHENTICATION_DATA_KEYS = ("cvv", "cvc", "card_verification", "pin", "track_data")


def _is_card_authentication_data(row):
    return row["rule"] == "sensitive-key-name" and any(key in row["target"].lower() for key in AUTHENTICATION_DATA_KEYS)


def _removes_credential(row):
    return row["label"] == "secret" and row["action"] in ("drop-attribute", "drop-record") \
        and not _is_card_authentication_data(row)


CONTROLS = [
    ("gdpr", "Art. 4(5), 25, 32(1)(a): personal data pseudonymised (keyed hash)",
     lambda r: r["label"] == "pii" and r["action"] == "hash"),
    ("gdpr", "Art. 32: credentials removed", _removes_credential),
    ("gdpr", "Art. 17: a data subject's items suppressed at ingest",
     lambda r: r["action"] == "subject-suppressed"),
    ("gdpr", "Art. 5(1)(e): personal data kept no longer than the standard tier",
     lambda r: r["action"] == "route" and r["rule"] == "gdpr-personal-data"),
    ("hipaa", "164.514(b)(2): Safe Harbor identifiers redacted",
     lambda r: r["label"] == "phi" and r["action"] == "redact"),
    ("hipaa", "164.312(d): credentials removed", _removes_credential),
    ("hipaa", "164.312(b), 164.316(b)(2): PHI evidence kept six years",
     lambda r: r["action"] == "route" and r["rule"] == "hipaa-phi-evidence"),
    ("pci-dss", "Req. 3.5.1: card numbers unreadable",
     lambda r: r["label"] == "pci" and r["action"] in ("redact", "drop-attribute", "drop-record")),
    ("pci-dss", "Req. 3.3.1: sensitive authentication data not stored", _is_card_authentication_data),
    ("pci-dss", "Req. 8.3: credentials removed", _removes_credential),
    ("sox", "Sec. 802, 17 CFR 210.2-06: audit evidence kept seven years",
     lambda r: r["action"] == "route" and r["target"] == "sox"),
    ("sox", "ITGC access controls: credentials removed", _removes_credential),
]


def control_evidence(audit, rules):
    """Per tenant and control of the presets it extends: the audit evidence that the control applied.

    Returns rows tenant, preset, control, evidence (summed counts of matching audit entries), rules (the rule ids
    that acted) and rule_set_versions.
    """
    rows = []
    for tenant, document in sorted(rules.items()):
        entries = audit[audit["tenant"] == tenant]
        for preset, control, matches in CONTROLS:
            if preset not in (document.get("extends") or []):
                continue
            hits = entries[entries.apply(matches, axis=1)] if len(entries) else entries
            rows.append({"tenant": tenant, "preset": preset, "control": control, "evidence": int(hits["count"].sum()),
                         "rules": ", ".join(sorted(set(hits["rule"]))),
                         "rule_set_versions": ", ".join(str(v) for v in sorted(set(hits["rule_set_version"])))})
    return pd.DataFrame(rows, columns=["tenant", "preset", "control", "evidence", "rules", "rule_set_versions"])


def hhmm(timestamp):
    """A minute as HH:MM, for the axis of a per-minute plot."""
    return timestamp.strftime("%H:%M")


def plot_per_minute(frame, ax, **options):
    """Lines with one point per minute of `frame` (indexed by HH:MM labels), every minute labelled."""
    frame.plot(ax=ax, marker="o", **options)
    ax.set_xticks(range(len(frame.index)), frame.index)
    ax.set_xlabel("minute (UTC)")
