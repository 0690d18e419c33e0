package io.wslistener.source;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SequenceGapsTest {

    @Test
    void readsTheTopLevelFieldOnly() {
        assertEquals(42, SequenceGaps.topLevelNumber("{\"seq\":42,\"p\":1}", "\"seq\""));
        assertEquals(7, SequenceGaps.topLevelNumber("{ \"data\":{\"seq\":1}, \"seq\" : 7 }", "\"seq\""));
        assertEquals(-3, SequenceGaps.topLevelNumber("{\"seq\":-3}", "\"seq\""));
        assertEquals(SequenceGaps.NO_SEQUENCE, SequenceGaps.topLevelNumber("{\"data\":{\"seq\":1}}", "\"seq\""));
        assertEquals(SequenceGaps.NO_SEQUENCE, SequenceGaps.topLevelNumber("{\"note\":\"\\\"seq\\\":5\"}", "\"seq\""));
        assertEquals(SequenceGaps.NO_SEQUENCE, SequenceGaps.topLevelNumber("{\"seq\":\"5\"}", "\"seq\""));
        assertEquals(SequenceGaps.NO_SEQUENCE, SequenceGaps.topLevelNumber("{\"seq\":1.5}", "\"seq\""));
        assertEquals(SequenceGaps.NO_SEQUENCE, SequenceGaps.topLevelNumber("{\"sequence\":5}", "\"seq\""));
        assertEquals(SequenceGaps.NO_SEQUENCE, SequenceGaps.topLevelNumber("not json", "\"seq\""));
    }

    @Test
    void aBreakInTheSequenceIsAGapOnTheMessageAfterIt() {
        SequenceGaps gaps = new SequenceGaps("u");
        assertEquals(0, gaps.check("{\"u\":10}"), "the first number sets the start");
        assertEquals(0, gaps.check("{\"u\":11}"));
        assertEquals(0, gaps.check("{\"other\":true}"), "a message without the field neither breaks nor continues");
        assertEquals(3, gaps.check("{\"u\":15}"), "12, 13 and 14 are missing");
        assertEquals(0, gaps.check("{\"u\":16}"));
        assertEquals(-16, gaps.check("{\"u\":1}"), "started again");
        assertEquals(2, gaps.gaps());
    }
}
