package dev.kadshare.transfer.relay;

import java.util.Optional;

/** A relay's answer to a request, as its status byte: accepted, or why not. */
public enum RelayStatus {
    ACCEPTED(0),
    /** This node does not relay (turned off, or not publicly reachable). */
    NOT_OFFERED(1),
    /** The relay already carries its cap of circuits. */
    CIRCUITS_FULL(2),
    /** The relay already holds its cap of reservations. */
    RESERVATIONS_FULL(3),
    /** Nobody reserved under the address asked for, within the wait. */
    NO_RESERVATION(4),
    /** Another relay version. */
    VERSION_MISMATCH(5),
    /** Not a request this relay understands. */
    MALFORMED(6),
    /** The host asking, or the sharer's host, is already an end of its cap of circuits here. */
    HOST_CIRCUITS_FULL(7),
    /** The sharer's host already holds its cap of reservations here. */
    HOST_RESERVATIONS_FULL(8);

    private final int code;

    RelayStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The status of {@code code}, if it is one. */
    public static Optional<RelayStatus> of(int code) {
        for (RelayStatus s : values()) {
            if (s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
