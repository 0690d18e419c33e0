package io.wslistener.policy;

import java.time.Duration;

import org.apache.camel.spi.Metadata;

/**
 * The settings of the {@code messages} group: how received messages reach the route (the consumer's hand-off, its
 * bounds, batches, drain and signals). They are part of every {@link ConnectionSettings}, declared here so that each
 * class stays small; what is said there of all options holds for these.
 */
public abstract class MessageSettings {

    @Metadata(label = "messages", defaultValue = "1048576",
              description = "Largest message (and frame) in bytes; a larger one closes the connection with 1009 and reconnects.")
    private Integer maxMessageSize;
    @Metadata(label = "messages", defaultValue = "1000",
              description = "Messages received but not yet processed. At this many the loop stops reading from the socket (TCP pushes back on the server); it reads again when half have been processed.")
    private Integer maxInFlight;
    @Metadata(label = "messages", defaultValue = "33554432",
              description = "Bytes of messages received but not yet processed (text counts its characters). At this many the loop stops reading from the socket, as with maxInFlight, so that large messages behind a slow route cannot exhaust the heap. No smaller than maxMessageSize.")
    private Long maxInFlightBytes;
    @Metadata(label = "messages", defaultValue = "1",
              description = "Up to this many messages that were already waiting together go into the route as one exchange, its body a java.util.List of the messages in arrival order (header CamelWsListenerBatchSize); 1 (the default): one exchange per message. A batch never waits for more messages. Collected messages no longer count against maxInFlight, so it is at most maxInFlight: the feed then holds up to maxInFlight plus maxBatchSize messages.")
    private Integer maxBatchSize;
    @Metadata(label = "messages", defaultValue = "60s", javaType = "java.time.Duration",
              description = "The oldest message received and not yet processed having waited this long (a sink is stuck, or the route does not keep up), whatever the socket does, reports the feed as stalled: readiness DOWN. 0 disables it.")
    private Duration stalledTimeout;
    @Metadata(label = "messages", defaultValue = "30s", javaType = "java.time.Duration",
              description = "How long a stop (route stop, suspend, context stop; capped by what is left of Camel's shutdownTimeout) or a planned reconnect reads on after its close frame, until the server's close reply, the route processing what arrives. Near its end what the route has not taken goes to the undelivered file; at its end the socket is reset.")
    private Duration drainTimeout;
    @Metadata(label = "messages", defaultValue = "false",
              description = "Whether an exchange with an empty body and header CamelWsListenerEvent (connected or disconnected) goes into the route on every connect and disconnect.")
    private Boolean lifecycleEvents;
    @Metadata(label = "messages",
              description = "A top-level field of JSON text messages holding an integer sequence number; a message that does not follow the previous one gets the header CamelWsListenerGap and counts in wslistener.sequence.gaps.")
    private String sequenceField;

    public Integer getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(Integer maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public Integer getMaxInFlight() {
        return maxInFlight;
    }

    public void setMaxInFlight(Integer maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    public Long getMaxInFlightBytes() {
        return maxInFlightBytes;
    }

    public void setMaxInFlightBytes(Long maxInFlightBytes) {
        this.maxInFlightBytes = maxInFlightBytes;
    }

    public Integer getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(Integer maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public Duration getStalledTimeout() {
        return stalledTimeout;
    }

    public void setStalledTimeout(Duration stalledTimeout) {
        this.stalledTimeout = stalledTimeout;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public Boolean getLifecycleEvents() {
        return lifecycleEvents;
    }

    public void setLifecycleEvents(Boolean lifecycleEvents) {
        this.lifecycleEvents = lifecycleEvents;
    }

    public String getSequenceField() {
        return sequenceField;
    }

    public void setSequenceField(String sequenceField) {
        this.sequenceField = sequenceField;
    }
}
