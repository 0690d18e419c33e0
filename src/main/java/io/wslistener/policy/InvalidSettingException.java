package io.wslistener.policy;

/**
 * A setting that cannot work, reported with the route, the option and what would be allowed.
 */
public class InvalidSettingException extends IllegalArgumentException {

    private final String routeId;
    private final String option;

    public InvalidSettingException(String routeId, String option, Object value, String allowed) {
        super("Route '" + routeId + "': invalid ws-listener option " + option + "=" + value + "; allowed: " + allowed);
        this.routeId = routeId;
        this.option = option;
    }

    public InvalidSettingException(String routeId, String option, String message) {
        super("Route '" + routeId + "': invalid ws-listener option " + option + ": " + message);
        this.routeId = routeId;
        this.option = option;
    }

    public String getRouteId() {
        return routeId;
    }

    public String getOption() {
        return option;
    }
}
