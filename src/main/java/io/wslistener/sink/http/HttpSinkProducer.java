package io.wslistener.sink.http;

import java.util.List;

import io.wslistener.metrics.SinkMeters;
import io.wslistener.sink.SinkMessages;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;
import org.apache.camel.support.service.ServiceHelper;

/**
 * Hands each message to this producer's {@link HttpDelivery}; each element of a List body (ws-listener's
 * {@code maxBatchSize}) is one message. Each route step gets its own buffer and delivery
 * thread, so a route's order is kept, and stopping the route drains exactly what that route sent.
 */
final class HttpSinkProducer extends DefaultProducer {

    private HttpPoster poster;
    private HttpDelivery delivery;

    HttpSinkProducer(HttpSinkEndpoint endpoint) {
        super(endpoint);
    }

    @Override
    public HttpSinkEndpoint getEndpoint() {
        return (HttpSinkEndpoint) super.getEndpoint();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Object body = SinkMessages.bodyOf(exchange);
        SinkMeters meters = getEndpoint().metersOf(exchange);
        if (body instanceof List<?> batch) {
            for (Object element : batch) {
                delivery.offer(SinkMessages.messageOf(exchange, element), meters);
            }
        } else {
            delivery.offer(body, meters);
        }
    }

    /** Messages buffered or being delivered by this producer. */
    int pending() {
        return delivery == null ? 0 : delivery.pending();
    }

    HttpDelivery delivery() {
        return delivery;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        HttpSinkEndpoint endpoint = getEndpoint();
        poster = endpoint.createPoster();
        ServiceHelper.startService(poster);
        delivery = endpoint.createDelivery(poster::post);
        delivery.abortPostWith(poster::abort);
        endpoint.register(this);
        ServiceHelper.startService(delivery);
    }

    @Override
    protected void doStop() throws Exception {
        // drains within drainTimeout, dead-letters the rest; then the HTTP client can go
        ServiceHelper.stopService(delivery);
        ServiceHelper.stopService(poster);
        getEndpoint().unregister(this);
        super.doStop();
    }
}
