package io.wslistener.sink.kafka;

import java.nio.charset.StandardCharsets;

import io.wslistener.sink.SinkMetersByRoute;
import io.wslistener.support.WsListenerConstants;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The ws-listener headers of a message as Kafka record headers, values as UTF-8 text (numbers in decimal), so that any
 * consumer or tool reads them as they are:
 * <ul>
 * <li>{@value #ROUTE}: the feed's route id;</li>
 * <li>{@value #CONNECTION}: which connection of the route carried the message, from 1;</li>
 * <li>{@value #SEQUENCE}: the message's position on its connection, from 1;</li>
 * <li>{@value #GAP}: on a message whose {@code sequenceField} skipped numbers, the gap;</li>
 * <li>{@value #EVENT}: on a lifecycle event ({@code connected}, {@code disconnected}).</li>
 * </ul>
 * A header the message does not have is left out. Not named {@code Camel...}: camel-kafka's default header filter
 * drops such headers on both sides, so a Camel route reading the topic would never see them.
 */
final class FeedRecordHeaders {

    static final String ROUTE = "wslistener.route";
    static final String CONNECTION = "wslistener.connection";
    static final String SEQUENCE = "wslistener.sequence";
    static final String GAP = "wslistener.gap";
    static final String EVENT = "wslistener.event";

    // the route id changes between feeds, not between messages: its bytes are made once
    private volatile RouteBytes lastRoute = new RouteBytes("", new byte[0]);

    private record RouteBytes(String route, byte[] bytes) {
    }

    /**
     * @param element the position of the message in a batch (a List body), from 0; -1 for a message on its own. The
     *                sequence of element i is the batch's sequence plus i; a batch's gap is not told per element
     */
    Headers of(Exchange exchange, int element) {
        Message in = exchange.getMessage();
        RecordHeaders headers = new RecordHeaders();
        String route = SinkMetersByRoute.routeIdOf(exchange);
        if (route != null) {
            headers.add(ROUTE, routeBytes(route));
        }
        Object connection = in.getHeader(WsListenerConstants.CONNECTION);
        if (connection != null) {
            headers.add(CONNECTION, text(connection));
        }
        Object sequence = in.getHeader(WsListenerConstants.SEQUENCE);
        if (sequence instanceof Number number && element > 0) {
            headers.add(SEQUENCE, text(number.longValue() + element));
        } else if (sequence != null) {
            headers.add(SEQUENCE, text(sequence));
        }
        if (element < 0) {
            Object gap = in.getHeader(WsListenerConstants.GAP);
            if (gap != null) {
                headers.add(GAP, text(gap));
            }
        }
        Object event = in.getHeader(WsListenerConstants.EVENT);
        if (event != null) {
            headers.add(EVENT, text(event));
        }
        return headers;
    }

    private byte[] routeBytes(String route) {
        RouteBytes last = lastRoute;
        if (!last.route().equals(route)) {
            last = new RouteBytes(route, route.getBytes(StandardCharsets.UTF_8));
            lastRoute = last;
        }
        return last.bytes();
    }

    private static byte[] text(Object value) {
        return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
    }
}
