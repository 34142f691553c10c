package dev.kadshare.node.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kadshare.node.NodeStatus;
import dev.kadshare.node.PeersStatus;
import dev.kadshare.node.Removal;
import dev.kadshare.node.ShareResult;
import dev.kadshare.node.events.NodeEvent;
import dev.kadshare.node.transfers.TransferStatus;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * README.md documents every JSON field the control API can emit, whether or not a running daemon happens to fill
 * it: every component of every record an endpoint answers with (and of the records inside them) is named, quoted,
 * in README's JSON documentation. A field added to an answer without a word in README fails here.
 */
class ApiDocumentationTest {
    /** What the endpoints answer with (see ControlServer's routes); plain maps' keys are listed below. */
    private static final List<Class<? extends Record>> ANSWERS = List.of(NodeStatus.class, PeersStatus.class,
            TransferStatus.class, ShareResult.class, Removal.class, ControlServer.SearchAnswer.class,
            ControlServer.StreamAnswer.class,
            EventStreams.MissedNotice.class, NodeEvent.TransferAdded.class, NodeEvent.TransferProgress.class,
            NodeEvent.TransferStateChanged.class, NodeEvent.TransferRemoved.class, NodeEvent.PeerJoined.class,
            NodeEvent.PeerLeft.class, NodeEvent.ShareAdded.class, NodeEvent.ShareRemoved.class);
    /** The keys of the answers built as maps: list wrappers, errors, stop. */
    private static final List<String> MAP_KEYS = List.of("shares", "transfers", "error", "errorId", "stopping");

    @Test
    void readmeNamesEveryFieldOfEveryAnswer() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Set<String> fields = new LinkedHashSet<>(MAP_KEYS);
        ANSWERS.forEach(answer -> collect(answer, fields, new LinkedHashSet<>()));
        assertTrue(fields.size() > 40, "the walk reached the nested records: " + fields);
        List<String> missing = new ArrayList<>();
        for (String field : fields) {
            if (!readme.contains("\"" + field + "\"")) {
                missing.add(field);
            }
        }
        assertEquals(List.of(), missing, "README.md does not document these JSON fields");
    }

    /** Every event's name is in README's table of events, and its JSON holds its record's components, no more. */
    @Test
    void readmeNamesEveryEventAndItsDataIsItsRecord() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Class<?>[] kinds = NodeEvent.class.getPermittedSubclasses();
        assertTrue(kinds.length >= 8, List.of(kinds).toString());
        for (Class<?> kind : kinds) {
            RecordComponent[] components = kind.getRecordComponents();
            Object[] nulls = new Object[components.length];
            Class<?>[] types = java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            NodeEvent event = (NodeEvent) kind.getDeclaredConstructor(types).newInstance(nulls);
            assertTrue(readme.contains("`" + event.type() + "`"), "README does not name the event " + event.type());
            List<String> keys = new ArrayList<>();
            Json.MAPPER.readTree(Json.MAPPER.writeValueAsBytes(event)).fieldNames().forEachRemaining(keys::add);
            assertEquals(java.util.Arrays.stream(components).map(RecordComponent::getName).toList(), keys);
        }
        assertTrue(readme.contains("`missed`"));
    }

    /** Adds the names of {@code type}'s components, and of the records they hold, directly or in a list. */
    private static void collect(Class<?> type, Set<String> fields, Set<Class<?>> seen) {
        if (!type.isRecord() || !seen.add(type)) {
            return;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            fields.add(c.getName());
            collectType(c.getGenericType(), fields, seen);
        }
    }

    private static void collectType(Type type, Set<String> fields, Set<Class<?>> seen) {
        if (type instanceof Class<?> plain) {
            collect(plain, fields, seen);
        } else if (type instanceof ParameterizedType generic) {
            for (Type argument : generic.getActualTypeArguments()) {
                collectType(argument, fields, seen);
            }
        }
    }
}
