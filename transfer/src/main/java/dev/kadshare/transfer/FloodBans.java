package dev.kadshare.transfer;

import dev.kadshare.net.HostPrefix;
import dev.kadshare.net.SourceDropProgram;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The hosts a listener bans for flooding it, by its {@link FloodBan} policy: refusals at the cap per host are
 * counted per host ({@link HostPrefix}: an IPv4 address, an IPv6 /64) in a window, and the one that passes the
 * policy's count starts a ban. Time comes in as nanoseconds of any origin. Confined to one thread (the listener's
 * event loop). Bounded: at most {@link SourceDropProgram#MAX_SOURCES} bans at once (beyond them a host is refused
 * at accept as before) and {@link #TRACKED} hosts counted.
 */
public final class FloodBans {
    /** Hosts whose refusals are counted at once; a flood from more sources starts counting as windows end. */
    public static final int TRACKED = 4096;

    private final FloodBan policy;
    private final Map<HostPrefix, Window> counting = new HashMap<>();
    private final Map<HostPrefix, Long> bannedUntil = new HashMap<>();

    /** A ban that starts now, on {@code host}, until {@code untilNanos}. */
    public record Ban(HostPrefix host, long untilNanos) {
    }

    private static final class Window {
        final long startNanos;
        int refusals;

        Window(long startNanos) {
            this.startNanos = startNanos;
        }
    }

    public FloodBans(FloodBan policy) {
        this.policy = policy;
    }

    /** {@code source} was refused at its host's cap at {@code nowNanos}: the ban this starts, if it starts one. */
    public Optional<Ban> refused(InetAddress source, long nowNanos) {
        HostPrefix address = HostPrefix.of(source);
        if (bannedUntil.containsKey(address) || bannedUntil.size() >= SourceDropProgram.MAX_SOURCES) {
            return Optional.empty(); // a refusal raced the filter, or there is no room for another ban
        }
        Window window = counting.get(address);
        if (window == null || nowNanos - window.startNanos >= policy.window().toNanos()) {
            if (window == null && counting.size() >= TRACKED && !forgetEndedWindows(nowNanos)) {
                return Optional.empty();
            }
            window = new Window(nowNanos);
            counting.put(address, window);
        }
        if (++window.refusals < policy.refusals()) {
            return Optional.empty();
        }
        counting.remove(address);
        long until = nowNanos + policy.duration().toNanos();
        bannedUntil.put(address, until);
        return Optional.of(new Ban(address, until));
    }

    /** Ends the bans due by {@code nowNanos}: the hosts set free. */
    public List<HostPrefix> expire(long nowNanos) {
        List<HostPrefix> freed = new ArrayList<>();
        bannedUntil.entrySet().removeIf(e -> {
            boolean due = e.getValue() - nowNanos <= 0;
            if (due) {
                freed.add(e.getKey());
            }
            return due;
        });
        return freed;
    }

    /** Ends {@code host}'s ban now, whatever its term (the listener could not enforce it). */
    public void lift(HostPrefix host) {
        bannedUntil.remove(host);
    }

    /** The hosts banned now. */
    public Set<HostPrefix> banned() {
        return Set.copyOf(bannedUntil.keySet());
    }

    /** Forgets the counts whose window has ended; whether that made room to count another host. */
    private boolean forgetEndedWindows(long nowNanos) {
        counting.values().removeIf(w -> nowNanos - w.startNanos >= policy.window().toNanos());
        return counting.size() < TRACKED;
    }
}
