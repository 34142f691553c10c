package dev.kadshare.node.api;

/** Who may read {@code GET /metrics}: only with the API token (the default), or anyone who reaches the API. */
public enum MetricsAccess {
    TOKEN,
    PUBLIC
}
