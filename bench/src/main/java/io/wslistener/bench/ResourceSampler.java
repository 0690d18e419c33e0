package io.wslistener.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * What the JVM it runs in uses: heap after every GC (from the collectors' notifications, so no GC is forced and none is
 * missed), heap used and RSS when sampled. "Heap after GC" is what a collection could not free; with G1 a young
 * collection leaves old-generation garbage in place, so it is an upper bound of the live data.
 */
final class ResourceSampler {

    private static final long MB = 1024 * 1024;

    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    private final AtomicLong lastAfterGc = new AtomicLong();
    private final AtomicLong peakAfterGc = new AtomicLong();
    private final AtomicLong collections = new AtomicLong();
    private long peakUsed;

    /** One sample; sizes in MB. */
    record Sample(long heapUsedMb, long heapAfterLastGcMb, long heapCommittedMb, long rssMb, long rssPeakMb) {
    }

    ResourceSampler() {
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener((notification, handback) -> {
                if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                    onCollection(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
                }
            }, null, null);
        }
    }

    private void onCollection(GarbageCollectionNotificationInfo info) {
        long after = 0;
        for (Map.Entry<String, MemoryUsage> pool : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
            if (heapPools.contains(pool.getKey())) {
                after += pool.getValue().getUsed();
            }
        }
        lastAfterGc.set(after);
        peakAfterGc.accumulateAndGet(after, Math::max);
        collections.incrementAndGet();
    }

    synchronized Sample sample() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        peakUsed = Math.max(peakUsed, heap.getUsed());
        long[] rss = rssKb();
        return new Sample(heap.getUsed() / MB, lastAfterGc.get() / MB, heap.getCommitted() / MB, rss[0] / 1024, rss[1] / 1024);
    }

    long peakAfterGcMb() {
        return peakAfterGc.get() / MB;
    }

    synchronized long peakUsedMb() {
        return peakUsed / MB;
    }

    long collections() {
        return collections.get();
    }

    /** VmRSS and VmHWM (the peak RSS) of this process in kB, from /proc/self/status; -1 where unavailable. */
    static long[] rssKb() {
        long[] values = { -1, -1 };
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    values[0] = kb(line);
                } else if (line.startsWith("VmHWM:")) {
                    values[1] = kb(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: RSS stays unknown
        }
        return values;
    }

    private static long kb(String line) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
    }
}
