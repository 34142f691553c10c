package dev.kadshare.transfer;

import dev.kadshare.net.SourceDropProgram;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The addresses a listener bans for flooding it, by its {@link FloodBan} policy: refusals at the cap per address are
 * counted per address in a window, and the one that passes the policy's count starts a ban. Time comes in as
 * nanoseconds of any origin. Confined to one thread (the listener's event loop). Bounded: at most
 * {@link SourceDropProgram#MAX_SOURCES} bans at once (beyond them an address is refused at accept as before) and
 * {@link #TRACKED} addresses counted.
 */
public final class FloodBans {
    /** Addresses whose refusals are counted at once; a flood from more sources starts counting as windows end. */
    public static final int TRACKED = 4096;

    private final FloodBan policy;
    private final Map<InetAddress, Window> counting = new HashMap<>();
    private final Map<InetAddress, Long> bannedUntil = new HashMap<>();

    /** A ban that starts now, on {@code address}, until {@code untilNanos}. */
    public record Ban(InetAddress address, long untilNanos) {
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

    /** {@code address} was refused at its cap at {@code nowNanos}: the ban this starts, if it starts one. */
    public Optional<Ban> refused(InetAddress address, long nowNanos) {
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

    /** Ends the bans due by {@code nowNanos}: the addresses set free. */
    public List<InetAddress> expire(long nowNanos) {
        List<InetAddress> freed = new ArrayList<>();
        bannedUntil.entrySet().removeIf(e -> {
            boolean due = e.getValue() - nowNanos <= 0;
            if (due) {
                freed.add(e.getKey());
            }
            return due;
        });
        return freed;
    }

    /** Ends {@code address}'s ban now, whatever its term (the listener could not enforce it). */
    public void lift(InetAddress address) {
        bannedUntil.remove(address);
    }

    /** The addresses banned now. */
    public Set<InetAddress> banned() {
        return Set.copyOf(bannedUntil.keySet());
    }

    /** Forgets the counts whose window has ended; whether that made room to count another address. */
    private boolean forgetEndedWindows(long nowNanos) {
        counting.values().removeIf(w -> nowNanos - w.startNanos >= policy.window().toNanos());
        return counting.size() < TRACKED;
    }
}
