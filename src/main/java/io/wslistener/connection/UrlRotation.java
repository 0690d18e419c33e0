package io.wslistener.connection;

import java.util.List;

/**
 * Which of several server URLs the next attempt uses: the same one as long as it works, the next one (round-robin)
 * after a failed attempt. Confined to the loop's context; pure.
 *
 * @param <T> how a URL is held (text, compiled expression)
 */
public final class UrlRotation<T> {

    private final List<T> urls;
    private int current;
    private boolean failed;

    public UrlRotation(List<T> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("no URL");
        }
        this.urls = List.copyOf(urls);
    }

    /** The URL of the next attempt: moves on once if the attempt before failed. */
    public T next() {
        if (failed) {
            current = (current + 1) % urls.size();
            failed = false;
        }
        return urls.get(current);
    }

    /** The URL of the latest attempt (or connection). */
    public T current() {
        return urls.get(current);
    }

    /** The latest attempt failed: the next one goes to the next URL. */
    public void onAttemptFailed() {
        failed = true;
    }

    public int size() {
        return urls.size();
    }
}
