package dev.kadshare.transfer.store;

import dev.kadshare.transfer.content.ContentFile;
import dev.kadshare.transfer.content.Manifest;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Names from a manifest, which whoever shared the content chose, made safe to create on the local file system:
 * control characters (U+0000-U+001F, U+007F-U+009F) become '_', trailing dots and spaces go, Windows' reserved
 * device names (CON, PRN, AUX, NUL, COM1-9, LPT1-9, with any extension) get a leading '_', and each name fits
 * in 255 bytes of UTF-8, its extension kept. The content's own name, which lands next to the user's files, is
 * also never hidden: a leading dot becomes '_', so no download creates a {@code .bashrc} or {@code .ssh}, and
 * no download's final name can be one of the hidden part or sidecar names a download uses.
 */
public final class LocalName {
    /** The longest name (in UTF-8 bytes) most file systems hold. */
    public static final int MAX_BYTES = 255;
    /**
     * The content's own name leaves room for what a download adds to it: {@code "." NAME ".99.kadshare-part"}
     * for its part file, {@code " (99)"} for a numbered final name.
     */
    static final int TOP_LEVEL_MAX_BYTES = MAX_BYTES - 24;
    private static final Set<String> RESERVED = Set.of("CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4",
            "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8",
            "LPT9");
    /** An extension worth keeping when a name is cut or numbered: short, no spaces ({@code .tar.gz} whole). */
    private static final Pattern EXTENSION = Pattern.compile("((\\.tar)?\\.[^. ]{1,15})$");

    private LocalName() {}

    /** A file or directory name inside a directory share. */
    public static String of(String name) {
        return safe(name, MAX_BYTES);
    }

    /** The content's own name: {@link #of} rules, never hidden, and room left for the part file's suffix. */
    public static String topLevel(String name) {
        String s = name.startsWith(".") ? "_" + name.substring(1) : name;
        return safe(s, TOP_LEVEL_MAX_BYTES);
    }

    /**
     * The {@code n}th alternative to {@code name} when it is taken, as browsers number them: {@code x (1).bin},
     * {@code dir (2)}; a file keeps its extension last. Still at most {@link #MAX_BYTES}.
     */
    public static String numbered(String name, int n, boolean directory) {
        String suffix = " (" + n + ")";
        String ext = directory ? "" : extension(name);
        String stem = name.substring(0, name.length() - ext.length());
        return cut(stem, MAX_BYTES - bytes(suffix) - bytes(ext)) + suffix + ext;
    }

    /**
     * Whether two files of a directory share would be one path here: names made equal by {@link #of}, or, where
     * the file system ignores case, names that differ only in case (a file and a directory included). Empty if
     * every file has a path of its own.
     */
    public static Optional<String> clash(Manifest manifest, boolean ignoresCase) {
        if (!manifest.isDirectory()) {
            return Optional.empty();
        }
        // Every path a file or directory of the share takes here, with the manifest path that takes it.
        Map<String, String> taken = new HashMap<>();
        for (ContentFile file : manifest.files()) {
            String[] parts = file.path().split("/");
            StringBuilder local = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                local.append(i == 0 ? "" : "/").append(of(parts[i]));
                String key = ignoresCase ? local.toString().toLowerCase(Locale.ROOT) : local.toString();
                String owner = i == parts.length - 1 ? file.path() : prefix(parts, i);
                String before = taken.putIfAbsent(key, owner);
                if (before != null && !before.equals(owner)) {
                    return Optional.of("two names of " + topLevel(manifest.name()) + " would be the same file here: '"
                            + local + "' (" + (ignoresCase ? "this file system ignores case; " : "")
                            + "the names differ only in case or in characters that are not kept)");
                }
            }
        }
        return Optional.empty();
    }

    private static String prefix(String[] parts, int last) {
        return String.join("/", java.util.Arrays.copyOf(parts, last + 1)) + "/";
    }

    private static String safe(String name, int maxBytes) {
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints().forEach(c -> out.appendCodePoint(Character.isISOControl(c) ? '_' : c));
        String s = stripTrailing(out.toString());
        String base = s.contains(".") ? s.substring(0, s.indexOf('.')) : s;
        if (RESERVED.contains(base.strip().toUpperCase(Locale.ROOT))) {
            s = "_" + s;
        }
        if (bytes(s) > maxBytes) {
            String ext = extension(s);
            s = stripTrailing(cut(s.substring(0, s.length() - ext.length()), maxBytes - bytes(ext)) + ext);
        }
        return s;
    }

    /** Windows drops trailing dots and spaces, so {@code a.} and {@code a} would be one file there. */
    private static String stripTrailing(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return end == 0 ? "_" : s.substring(0, end);
    }

    private static String extension(String name) {
        var m = EXTENSION.matcher(name);
        // Not the whole name: ".bashrc" has no extension, it is the name.
        return m.find() && m.start() > 0 ? m.group(1) : "";
    }

    /** The longest prefix of {@code s} of at most {@code max} UTF-8 bytes, never splitting a character. */
    private static String cut(String s, int max) {
        int used = 0;
        int end = 0;
        while (end < s.length()) {
            int c = s.codePointAt(end);
            int n = bytes(new String(Character.toChars(c)));
            if (used + n > max) {
                break;
            }
            used += n;
            end += Character.charCount(c);
        }
        return s.substring(0, end);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
