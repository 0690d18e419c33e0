package io.wslistener.testsupport;

import java.util.List;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogCaptureTest {

    private static final Logger CHILD = LogManager.getLogger("io.wslistener.testsupport.capture.child");
    private static final Logger OTHER = LogManager.getLogger("org.example.other");

    @Test
    void oneLoggerAndTheOnesUnderItAsLinesAndMessages() {
        try (LogCapture log = new LogCapture("io.wslistener.testsupport.capture")) {
            CHILD.info("hello {}", "there");
            CHILD.warn("careful");
            CHILD.debug("not at INFO");
            OTHER.error("not under it");

            assertEquals(List.of("INFO hello there", "WARN careful"), log.lines());
            assertEquals(List.of("hello there", "careful"), log.messages());
            assertTrue(log.contains("WARN", "care"));
            assertFalse(log.contains("INFO", "careful"), "the level is part of the match");
        }
    }

    @Test
    void everythingTakesEveryLoggerAtTheApplicationsLevelsAndPutsThemBack() {
        try (LogCapture all = LogCapture.everything()) {
            OTHER.info("from elsewhere");
            OTHER.debug("below INFO elsewhere");
            CHILD.debug("ours at DEBUG", new IllegalStateException("boom"));

            assertEquals(List.of("INFO org.example.other - from elsewhere"), all.containing("elsewhere"));
            String ours = all.containing("ours at DEBUG").get(0);
            assertTrue(ours.startsWith("DEBUG io.wslistener.testsupport.capture.child - ours at DEBUG\n"), ours);
            assertTrue(ours.contains("java.lang.IllegalStateException: boom"), "with its stack trace: " + ours);
        }
        assertFalse(CHILD.isDebugEnabled(), "ours back at INFO");
        assertFalse(OTHER.isInfoEnabled(), "the rest back at WARN");
    }
}
