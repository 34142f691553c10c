package dev.kadshare.transfer.serving;

/** A timer a hub asks for ({@link HubAction.Schedule}) and hears of when it fires ({@link HubEvent.TimerFired}). */
public sealed interface HubTimer {
    /** Time to rotate the upload slots (re-armed while anyone is connected). */
    record RotateSlots() implements HubTimer {
    }

    /** The oldest initial-seeding reveal not asked for is due to expire. */
    record RevealsExpire() implements HubTimer {
    }

    /** The upload limits are out of debt: the queued chunks may go. */
    record LimitsFree() implements HubTimer {
    }
}
