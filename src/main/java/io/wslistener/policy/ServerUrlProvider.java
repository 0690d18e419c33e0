package io.wslistener.policy;

/**
 * A bean that supplies the URL of each connect attempt, asked again before every attempt (for a short-lived token or
 * listen key in the URL, fetched over REST). Refer to it from the route policy with {@code urlProvider: "#bean:myUrls"}.
 * It is called on a worker thread, never on the event loop; the time it takes counts in {@code connectTimeout}.
 */
@FunctionalInterface
public interface ServerUrlProvider {

    /**
     * @param routeId the route about to connect
     * @param url     the URL this attempt would use: the route's, or the current one of {@code serverUrls}, with its
     *                expressions evaluated
     * @return the URL to connect to ({@code ws://} or {@code wss://}); null keeps {@code url}
     */
    String urlFor(String routeId, String url) throws Exception;
}
