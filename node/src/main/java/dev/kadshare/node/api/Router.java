package dev.kadshare.node.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The control API's endpoints as a table of (method, path pattern) to handler. */
final class Router {
    /** Answers one request; returns what is sent back as JSON. */
    @FunctionalInterface
    interface Handler {
        Object handle(ApiRequest request) throws IOException;
    }

    /** One endpoint. */
    record Route(String method, PathPattern path, Handler handler) {}

    /** What a request's method and path come to. */
    sealed interface Resolution {
        /** An endpoint, with the values of its path's named segments. */
        record Found(Route route, Map<String, String> pathValues) implements Resolution {}

        /** The path is known, but not with this method; {@code allowed} are those it takes. */
        record WrongMethod(Set<String> allowed) implements Resolution {}

        record NotFound() implements Resolution {}
    }

    private final List<Route> routes = new ArrayList<>();

    Router add(String method, String path, Handler handler) {
        routes.add(new Route(method, PathPattern.of(path), handler));
        return this;
    }

    Resolution resolve(String method, String path) {
        Set<String> allowed = new TreeSet<>();
        for (Route route : routes) {
            Optional<Map<String, String>> values = route.path().match(path);
            if (values.isEmpty()) {
                continue;
            }
            if (route.method().equals(method)) {
                return new Resolution.Found(route, values.get());
            }
            allowed.add(route.method());
        }
        return allowed.isEmpty() ? new Resolution.NotFound() : new Resolution.WrongMethod(allowed);
    }
}
