package io.wslistener.cluster;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which member leads which shard, computed by every instance alone from the same inputs: how many feeds each shard
 * holds (every instance runs the same feeds) and the live members of the group. Two instances that see the same
 * members compute the same owners, without talking to each other.
 * <p>
 * Rendezvous (highest random weight) hashing: every (shard, member) pair has a weight hashed from both, and a shard
 * goes to the member that weighs it highest, so a member that comes or goes moves mostly the shards it takes or had.
 * Plain rendezvous balances only on average, though: with 64 shards and three members one member can easily lead a
 * third more than its share. So the pairs are taken in order of weight, highest first, and a member takes a shard only
 * while its feeds stay within its fair share {@code ceil(M/N)} (M feeds, N members). The shards left over, largest
 * first, go to whichever member leads the fewest feeds at that point.
 * <p>
 * No member then leads more than {@code ceil(M/N) + (largest shard - 1)}: a shard of {@code s} feeds left over goes to
 * a member with at most {@code floor((M - s) / N)} feeds (the feeds placed so far are at most {@code M - s}), and
 * {@code floor((M - s) / N) + s <= ceil(M/N) - 1 + s}, because {@code (M - s) / N} is less than {@code ceil(M/N)}.
 * <p>
 * Shards without feeds have no owner: nobody joins their election.
 */
final class ShardAssignment {

    private final String[] owners;
    private final int bound;

    private ShardAssignment(String[] owners, int bound) {
        this.owners = owners;
        this.bound = bound;
    }

    /** The shard of a feed: its id's hash, modulo the shard count. */
    static int shardOf(String feedId, int shards) {
        return (int) Long.remainderUnsigned(hash(feedId), shards);
    }

    /**
     * @param feedsPerShard the number of feeds in each shard, indexed by shard
     * @param members       the ids of the live members (at least one)
     */
    static ShardAssignment of(int[] feedsPerShard, Collection<String> members) {
        List<String> ids = new ArrayList<>(new TreeSet<>(members));
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("no members to assign shards to");
        }
        int bound = bound(feedsPerShard, ids.size());
        List<Weighted> pairs = new ArrayList<>();
        for (int shard = 0; shard < feedsPerShard.length; shard++) {
            if (feedsPerShard[shard] > 0) {
                for (int member = 0; member < ids.size(); member++) {
                    pairs.add(new Weighted(shard, member, hash(shard + "/" + ids.get(member))));
                }
            }
        }
        pairs.sort(Comparator.comparing(Weighted::weight, Long::compareUnsigned).reversed()
                .thenComparingInt(Weighted::shard).thenComparingInt(Weighted::member));
        String[] owners = new String[feedsPerShard.length];
        int[] load = new int[ids.size()];
        int fairShare = (Arrays.stream(feedsPerShard).sum() + ids.size() - 1) / ids.size();
        for (Weighted pair : pairs) {
            int size = feedsPerShard[pair.shard()];
            if (owners[pair.shard()] == null && load[pair.member()] + size <= fairShare) {
                owners[pair.shard()] = ids.get(pair.member());
                load[pair.member()] += size;
            }
        }
        List<Integer> leftOver = new ArrayList<>();
        for (int shard = 0; shard < feedsPerShard.length; shard++) {
            if (feedsPerShard[shard] > 0 && owners[shard] == null) {
                leftOver.add(shard);
            }
        }
        leftOver.sort(Comparator.comparingInt((Integer shard) -> feedsPerShard[shard]).reversed()
                .thenComparingInt(shard -> shard));
        for (int shard : leftOver) {
            int least = 0;
            for (int member = 1; member < ids.size(); member++) {
                if (load[member] < load[least]) {
                    least = member;
                }
            }
            owners[shard] = ids.get(least);
            load[least] += feedsPerShard[shard];
        }
        return new ShardAssignment(owners, bound);
    }

    /**
     * The most feeds any member leads in an assignment of these shards over this many members:
     * {@code ceil(M/N)} plus the slack {@code largest shard - 1}.
     */
    static int bound(int[] feedsPerShard, int members) {
        int total = 0;
        int largest = 0;
        for (int size : feedsPerShard) {
            total += size;
            largest = Math.max(largest, size);
        }
        return (total + members - 1) / members + Math.max(0, largest - 1);
    }

    /** The member that leads the shard, or null for a shard without feeds. */
    String owner(int shard) {
        return owners[shard];
    }

    /** The most feeds any member leads in this assignment (see {@link #bound(int[], int)}). */
    int bound() {
        return bound;
    }

    /** The feeds each member leads in this assignment. */
    Map<String, Integer> feedsPerMember(int[] feedsPerShard) {
        Map<String, Integer> feeds = new HashMap<>();
        for (int shard = 0; shard < owners.length; shard++) {
            if (owners[shard] != null) {
                feeds.merge(owners[shard], feedsPerShard[shard], Integer::sum);
            }
        }
        return feeds;
    }

    /**
     * A 64-bit hash of the text's UTF-8 bytes that is the same in every JVM: FNV-1a, then murmur3's finalizer, because
     * FNV alone leaves ids that differ only in their last characters (feed-0001, feed-0002) close together in the high
     * bits. Neither Camel nor Vert.x offers a stable, well-mixed hash; {@link String#hashCode()} is stable but mixes
     * too little for rendezvous weights.
     */
    static long hash(String text) {
        long h = 0xcbf29ce484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private record Weighted(int shard, int member, long weight) {
    }
}
