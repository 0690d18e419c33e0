package io.wslistener.cluster;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shard assignment alone: every shard with feeds gets one live member, nobody leads more than
 * {@code ceil(M/N) + (largest shard - 1)} feeds, every instance computes the same answer from the same members, and a
 * member that comes or goes moves mostly its own shards.
 */
class ShardAssignmentTest {

    private static final int[] FEED_COUNTS = { 1, 7, 64, 300, 1000, 3000, 10_000 };
    private static final int[] SHARD_COUNTS = { 1, 8, 64, 256 };

    @Test
    void aFeedAlwaysFallsInTheSameShardWithinRange() {
        for (int shards : SHARD_COUNTS) {
            for (int i = 0; i < 1000; i++) {
                String id = "feed-" + i;
                int shard = ShardAssignment.shardOf(id, shards);
                assertTrue(shard >= 0 && shard < shards, id + " -> " + shard + " of " + shards);
                assertEquals(shard, ShardAssignment.shardOf(new String(id.toCharArray()), shards), id);
            }
        }
    }

    @Test
    void sequentialIdsSpreadOverTheShards() {
        int[] sizes = sizes(sequentialIds(3000), 64);
        // an even spread would be 46.9 a shard; a hash that mixed the last characters poorly would pile them up
        assertTrue(max(sizes) <= 2 * 3000 / 64, "largest shard " + max(sizes));
        assertTrue(min(sizes) >= 3000 / 64 / 2, "smallest shard " + min(sizes));
    }

    @Test
    void everyShardWithFeedsHasOneLiveOwnerAndNoMemberLeadsMoreThanTheBound() {
        for (int feeds : FEED_COUNTS) {
            for (int shardCount : SHARD_COUNTS) {
                int[] sizes = sizes(sequentialIds(feeds), shardCount);
                int[] randomSizes = sizes(randomIds(feeds, feeds * 31L + shardCount), shardCount);
                for (int memberCount = 1; memberCount <= 10; memberCount++) {
                    checkAssignment(sizes, members(memberCount));
                    checkAssignment(randomSizes, members(memberCount));
                }
            }
        }
    }

    @Test
    void theBoundIsTheFairShareAndTheLargestShardLessOne() {
        int[] sizes = { 5, 0, 9, 1, 3 };
        // 18 feeds over 4 members: ceil(18 / 4) = 5, largest shard 9
        assertEquals(5 + 9 - 1, ShardAssignment.bound(sizes, 4));
        assertEquals(18 + 8, ShardAssignment.bound(sizes, 1));
        assertEquals(0, ShardAssignment.bound(new int[3], 2), "no feeds");
    }

    @Test
    void theAnswerDependsOnTheMembersNotOnTheirOrder() {
        int[] sizes = sizes(sequentialIds(300), 64);
        List<String> members = new ArrayList<>(List.of("b", "c", "a", "instance-4", "d"));
        ShardAssignment first = ShardAssignment.of(sizes, members);
        Collections.shuffle(members, new Random(7));
        ShardAssignment again = ShardAssignment.of(sizes, members);
        for (int shard = 0; shard < sizes.length; shard++) {
            assertEquals(first.owner(shard), again.owner(shard), "shard " + shard);
        }
    }

    /**
     * Keeping every member within its fair share moves some shards between the others too, when the share shrinks or
     * grows: about a third as many as the change needs (measured over 1 to 8 members, 300 and 3,000 feeds).
     */
    @Test
    void aMemberThatComesOrGoesMovesItsOwnShareAndAFewMore() {
        int needed = 0;
        int others = 0;
        for (int feeds : new int[]{ 300, 3000 }) {
            int[] sizes = sizes(sequentialIds(feeds), 64);
            for (int memberCount = 1; memberCount < 8; memberCount++) {
                List<String> before = members(memberCount);
                List<String> after = members(memberCount + 1);
                String newcomer = after.get(memberCount);
                int[] joined = moves(sizes, before, after, newcomer);
                assertTrue(ShardAssignment.of(sizes, after).feedsPerMember(sizes).getOrDefault(newcomer, 0) > 0,
                        feeds + " feeds: member " + newcomer + " gets nothing");
                needed += joined[0];
                others += joined[1];
                for (String leaving : after) {
                    List<String> rest = new ArrayList<>(after);
                    rest.remove(leaving);
                    int[] left = moves(sizes, after, rest, leaving);
                    assertTrue(left[0] > 0, leaving + " led nothing");
                    needed += left[0];
                    others += left[1];
                }
            }
        }
        assertTrue(others * 100 <= needed * 40, others + " shards moved between the other members, for " + needed
                + " that had to move");
    }

    /**
     * The shards that move from {@code before} to {@code after}: those to or from the member that came or went, and
     * those between the others. Every shard's owner after is one of the members after.
     */
    private static int[] moves(int[] sizes, List<String> before, List<String> after, String changed) {
        ShardAssignment from = ShardAssignment.of(sizes, before);
        ShardAssignment to = ShardAssignment.of(sizes, after);
        int[] moves = new int[2];
        for (int shard = 0; shard < sizes.length; shard++) {
            if (sizes[shard] == 0) {
                continue;
            }
            assertTrue(after.contains(to.owner(shard)), "shard " + shard + " went to " + to.owner(shard));
            if (!from.owner(shard).equals(to.owner(shard))) {
                moves[from.owner(shard).equals(changed) || to.owner(shard).equals(changed) ? 0 : 1]++;
            }
        }
        return moves;
    }

    @Test
    void emptyShardsHaveNoOwner() {
        int[] sizes = { 0, 3, 0, 1 };
        ShardAssignment assignment = ShardAssignment.of(sizes, List.of("a", "b"));
        assertNull(assignment.owner(0));
        assertNull(assignment.owner(2));
        assertNotNull(assignment.owner(1));
        assertNotNull(assignment.owner(3));
    }

    private static void checkAssignment(int[] sizes, List<String> members) {
        ShardAssignment assignment = ShardAssignment.of(sizes, members);
        int total = 0;
        int largest = 0;
        for (int size : sizes) {
            total += size;
            largest = Math.max(largest, size);
        }
        String where = total + " feeds, " + sizes.length + " shards, " + members.size() + " members";
        Set<String> owners = new HashSet<>();
        for (int shard = 0; shard < sizes.length; shard++) {
            if (sizes[shard] > 0) {
                assertTrue(members.contains(assignment.owner(shard)), where + ": shard " + shard);
                owners.add(assignment.owner(shard));
            } else {
                assertNull(assignment.owner(shard), where + ": empty shard " + shard);
            }
        }
        int bound = (total + members.size() - 1) / members.size() + Math.max(0, largest - 1);
        assertEquals(bound, assignment.bound(), where);
        Map<String, Integer> perMember = assignment.feedsPerMember(sizes);
        assertEquals(total, perMember.values().stream().mapToInt(Integer::intValue).sum(), where);
        for (Map.Entry<String, Integer> led : perMember.entrySet()) {
            assertTrue(led.getValue() <= bound, where + ": " + led.getKey() + " leads " + led.getValue()
                    + ", more than " + bound);
        }
        assertEquals(owners, perMember.keySet(), where);
    }

    private static List<String> members(int count) {
        List<String> members = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            members.add("instance-" + i);
        }
        return members;
    }

    private static List<String> sequentialIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(String.format("feed-%04d", i));
        }
        return ids;
    }

    private static List<String> randomIds(int count, long seed) {
        Random random = new Random(seed);
        Set<String> ids = new TreeSet<>();
        while (ids.size() < count) {
            ids.add(Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
        }
        return new ArrayList<>(ids);
    }

    private static int[] sizes(List<String> ids, int shards) {
        int[] sizes = new int[shards];
        ids.forEach(id -> sizes[ShardAssignment.shardOf(id, shards)]++);
        return sizes;
    }

    private static int max(int[] values) {
        int max = Integer.MIN_VALUE;
        for (int v : values) {
            max = Math.max(max, v);
        }
        return max;
    }

    private static int min(int[] values) {
        int min = Integer.MAX_VALUE;
        for (int v : values) {
            min = Math.min(min, v);
        }
        return min;
    }
}
