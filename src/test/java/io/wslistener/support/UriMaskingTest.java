package io.wslistener.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UriMaskingTest {

    @Test
    void aRawValueIsMaskedWholeEvenWithAnAmpersandInside() {
        assertEquals("ws://h/feed?token=xxxxxx&feed=quotes",
                UriMasking.mask("ws://h/feed?token=RAW(a&b=c)&feed=quotes"));
        assertEquals("ws://h/feed?key=xxxxxx&feed=quotes", UriMasking.mask("ws://h/feed?key=RAW{a&b}&feed=quotes"));
    }

    @Test
    void urlsInsideATextAreMaskedAndTheRestIsKept() {
        assertEquals("HTTP operation failed invoking http://127.0.0.1:8080/ingest?key=xxxxxx&sig=xxxxxx&feed=q with"
                + " statusCode: 400",
                UriMasking
                        .maskUrlsIn("HTTP operation failed invoking http://127.0.0.1:8080/ingest?key=k3y&sig=s1g&feed=q"
                                + " with statusCode: 400"));
        assertEquals("no url here", UriMasking.maskUrlsIn("no url here"));
    }
}
