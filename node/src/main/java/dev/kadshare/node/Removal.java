package dev.kadshare.node;

import java.util.List;

/**
 * What {@code remove} did, as the control API answers it.
 *
 * @param removed the content id forgotten
 * @param dataDeleted whether what this node downloaded of it (partial file, sidecar, the finished file or
 *     directory) was deleted
 * @param originalDeleted whether the file or directory this node shared from was deleted
 * @param originalKept the shared original left in place because deleting it was not asked for, else null
 * @param editedKept the files of the downloaded data left in place because they changed since the download wrote them
 *     (the user's work now)
 */
public record Removal(String removed, boolean dataDeleted, boolean originalDeleted, String originalKept,
        List<String> editedKept) {}
