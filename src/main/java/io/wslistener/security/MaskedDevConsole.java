package io.wslistener.security;

import java.util.List;
import java.util.Map;

import io.wslistener.support.UriMasking;
import org.apache.camel.console.DevConsole;
import org.apache.camel.util.json.JsonArray;
import org.apache.camel.util.json.JsonObject;

/**
 * A developer console whose output has every secret masked: the registered secret values and the secret query
 * parameters of the URLs in it, in the text form and in every string of the JSON form, before the JSON is written (so
 * that escaping cannot hide a value from the mask).
 */
final class MaskedDevConsole implements DevConsole {

    private final DevConsole console;

    MaskedDevConsole(DevConsole console) {
        this.console = console;
    }

    DevConsole unwrapped() {
        return console;
    }

    @Override
    public String getGroup() {
        return console.getGroup();
    }

    @Override
    public String getId() {
        return console.getId();
    }

    @Override
    public String getDisplayName() {
        return console.getDisplayName();
    }

    @Override
    public String getDescription() {
        return console.getDescription();
    }

    @Override
    public boolean supportMediaType(MediaType mediaType) {
        return console.supportMediaType(mediaType);
    }

    @Override
    public Object call(MediaType mediaType, Map<String, Object> options) {
        return masked(console.call(mediaType, options));
    }

    /** Strings masked, maps and lists copied with their contents masked, anything else as it is. */
    static Object masked(Object value) {
        if (value instanceof String text) {
            return UriMasking.maskUrlsIn(text);
        }
        if (value instanceof Map<?, ?> map) {
            JsonObject copy = new JsonObject();
            map.forEach((key, item) -> copy.put(String.valueOf(masked(String.valueOf(key))), masked(item)));
            return copy;
        }
        if (value instanceof List<?> list) {
            JsonArray copy = new JsonArray();
            list.forEach(item -> copy.add(masked(item)));
            return copy;
        }
        return value;
    }

    @Override
    public String toString() {
        return console.toString();
    }
}
