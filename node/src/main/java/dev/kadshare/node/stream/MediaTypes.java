package dev.kadshare.node.stream;

import java.util.Locale;
import java.util.Map;

/**
 * The Content-Type a streamed file is sent with, by its extension: the media and text types players and browsers
 * need. Whatever else (HTML, SVG, scripts, unknown) goes as {@code application/octet-stream}: content from peers is
 * served from the control API's own origin, where a page or script must never run.
 */
public final class MediaTypes {
    private static final String BINARY = "application/octet-stream";
    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("mp4", "video/mp4"), Map.entry("m4v", "video/mp4"), Map.entry("mkv", "video/x-matroska"),
            Map.entry("webm", "video/webm"), Map.entry("mov", "video/quicktime"), Map.entry("avi", "video/x-msvideo"),
            Map.entry("ogv", "video/ogg"), Map.entry("ts", "video/mp2t"), Map.entry("mpg", "video/mpeg"),
            Map.entry("mpeg", "video/mpeg"), Map.entry("mp3", "audio/mpeg"), Map.entry("m4a", "audio/mp4"),
            Map.entry("aac", "audio/aac"), Map.entry("flac", "audio/flac"), Map.entry("ogg", "audio/ogg"),
            Map.entry("oga", "audio/ogg"), Map.entry("opus", "audio/opus"), Map.entry("wav", "audio/wav"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("png", "image/png"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("pdf", "application/pdf"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("srt", "text/plain; charset=utf-8"),
            Map.entry("vtt", "text/vtt; charset=utf-8"), Map.entry("zip", "application/zip"),
            Map.entry("iso", "application/x-iso9660-image"));

    /** The type for a file named {@code name}. */
    public static String of(String name) {
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return BINARY;
        }
        return BY_EXTENSION.getOrDefault(name.substring(dot + 1).toLowerCase(Locale.ROOT), BINARY);
    }

    private MediaTypes() {
    }
}
