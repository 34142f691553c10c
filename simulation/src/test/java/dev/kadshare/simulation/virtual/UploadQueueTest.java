package dev.kadshare.simulation.virtual;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kadshare.testkit.VirtualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UploadQueueTest {
    @Test
    void requestersTakeTurnsAtTheLinksCapacity() {
        VirtualClock clock = new VirtualClock();
        List<String> sent = new ArrayList<>();
        UploadQueue queue = new UploadQueue(clock, new Pipe(1000),
                (job, end) -> sent.add(job.to() + ":" + job.index() + "@" + end / 1_000_000));
        queue.request(new UploadQueue.Job(1, 0, 1000));
        queue.request(new UploadQueue.Job(1, 1, 1000));
        queue.request(new UploadQueue.Job(1, 2, 1000));
        queue.request(new UploadQueue.Job(2, 0, 500));
        queue.request(new UploadQueue.Job(2, 1, 500));
        clock.runFor(Duration.ofSeconds(10));
        // 1:0 went on the wire at once; then 1 (queued again first) and 2 alternate.
        assertEquals(List.of("1:0@1000", "1:1@2000", "2:0@2500", "1:2@3500", "2:1@4000"), sent);
    }

    @Test
    void aClosedConnectionLosesEveryQueuedJob() {
        VirtualClock clock = new VirtualClock();
        List<String> sent = new ArrayList<>();
        UploadQueue queue = new UploadQueue(clock, new Pipe(1000), (job, end) -> sent.add(job.to() + ":" + job.index()));
        queue.request(new UploadQueue.Job(1, 0, 1000));
        queue.request(new UploadQueue.Job(2, 0, 1000));
        queue.request(new UploadQueue.Job(1, 1, 1000));
        queue.request(new UploadQueue.Job(1, 2, 1000));
        queue.cancelAll(1);
        clock.runFor(Duration.ofSeconds(10));
        assertEquals(List.of("1:0", "2:0"), sent);
    }
}
