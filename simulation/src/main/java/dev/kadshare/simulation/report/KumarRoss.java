package dev.kadshare.simulation.report;

/**
 * The minimum time to distribute a file of F bytes from one seeder to N downloaders (Kumar and Ross):
 * {@code max(F/u_s, F/d_min, N·F/(u_s + Σu_i))}, capacities in bytes per second.
 */
public final class KumarRoss {
    private KumarRoss() {}

    public static double boundSeconds(long fileBytes, int downloaders, double seederUpload, double sumDownloaderUpload,
                                      double minDownload) {
        return Math.max(fileBytes / seederUpload, Math.max(fileBytes / minDownload,
                downloaders * (double) fileBytes / (seederUpload + sumDownloaderUpload)));
    }
}
