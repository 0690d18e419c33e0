package io.wslistener.sink.http;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.wslistener.sink.JsonText;
import io.wslistener.sink.SinkMessages;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.component.http.HttpEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.apache.camel.support.service.ServiceSupport;
import org.apache.hc.client5.http.io.HttpClientConnectionManager;
import org.apache.hc.core5.io.CloseMode;

/**
 * Posts one message as it is, or (when batching) a batch as a JSON array, with the stock camel-http producer
 * ({@code throwExceptionOnFailure=true}, so that a non-2xx answer comes back as {@code HttpOperationFailedException}
 * carrying the status and the response headers).
 */
final class HttpPoster extends ServiceSupport {

    private final CamelContext camelContext;
    private final String url;
    private final boolean batches;
    private final String contentType;
    private final Map<String, String> headers;
    private final Duration connectTimeout;
    private final Duration responseTimeout;
    private final Clock clock;
    private Endpoint httpEndpoint;
    private Producer producer;

    HttpPoster(CamelContext camelContext, String url, boolean batches, String contentType, Map<String, String> headers,
               Duration connectTimeout, Duration responseTimeout, Clock clock) {
        this.camelContext = camelContext;
        this.url = url;
        this.batches = batches;
        this.contentType = contentType;
        this.headers = Map.copyOf(headers);
        this.connectTimeout = connectTimeout;
        this.responseTimeout = responseTimeout;
        this.clock = clock;
    }

    HttpAttempt post(List<Object> messages) {
        Exchange exchange = httpEndpoint.createExchange();
        var message = exchange.getMessage();
        // with batches, even a lone message goes as an array, so the server always gets the same shape
        message.setBody(batches ? jsonArray(messages) : messages.get(0));
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader(Exchange.CONTENT_TYPE, contentType);
        headers.forEach(message::setHeader);
        try {
            producer.process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        return failure == null ? HttpAttempt.DELIVERED : HttpAttempt.failed(failure, clock);
    }

    /** A batch: each message that is JSON as it is, any other text as a JSON string. */
    static String jsonArray(List<Object> messages) {
        StringBuilder body = new StringBuilder(messages.size() * 128);
        body.append('[');
        for (int i = 0; i < messages.size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            String text = SinkMessages.text(messages.get(i));
            if (JsonText.isJson(text)) {
                body.append(text);
            } else {
                JsonText.appendQuoted(body, text);
            }
        }
        return body.append(']').toString();
    }

    @Override
    protected void doStart() throws Exception {
        String options = "throwExceptionOnFailure=true&connectTimeout=" + connectTimeout.toMillis()
                + "&connectionRequestTimeout=" + connectTimeout.toMillis()
                + "&responseTimeout=" + responseTimeout.toMillis()
                + "&soTimeout=" + responseTimeout.toMillis();
        httpEndpoint = camelContext.getEndpoint(url + (url.contains("?") ? "&" : "?") + options);
        if (httpEndpoint instanceof HttpEndpoint http) {
            // HttpClient would otherwise retry 429 and 503 once by itself, behind the back of our retry loop
            http.getClientBuilder().disableAutomaticRetries();
        }
        producer = httpEndpoint.createProducer();
        ServiceHelper.startService(producer);
    }

    /**
     * Closes this endpoint's connections now, from any thread: a post in progress fails at once (its socket is closed)
     * instead of waiting for an answer that may never come. Later posts fail too; used when the stop gives up
     * delivering. Stopping the producer does not do it: it closes the connection pool gracefully, which leaves a
     * connection in use alone. A pool the HTTP component shares with other endpoints is left alone.
     */
    void abort() {
        if (httpEndpoint instanceof HttpEndpoint http) {
            HttpClientConnectionManager own = http.getClientConnectionManager();
            if (own != null && own != http.getComponent().getClientConnectionManager()) {
                own.close(CloseMode.IMMEDIATE);
            }
        }
    }

    @Override
    protected void doStop() {
        ServiceHelper.stopService(producer);
        producer = null;
    }
}
