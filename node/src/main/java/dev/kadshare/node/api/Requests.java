package dev.kadshare.node.api;

/** Bodies the control API accepts. */
public final class Requests {
    private Requests() {}

    /** POST /v1/shares */
    public record Share(String path, String name) {}

    /** POST /v1/transfers */
    public record Get(String link, String outDir) {}
}
