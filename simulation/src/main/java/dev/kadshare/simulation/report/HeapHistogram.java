package dev.kadshare.simulation.report;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;

/**
 * Where the heap goes: the classes holding the most live bytes, read from this JVM's own class histogram (the
 * one {@code jcmd PID GC.class_histogram} prints, through the same diagnostic command). Empty where the JVM
 * does not offer it.
 */
public final class HeapHistogram {
    /** One class: its live instances and bytes. */
    public record Entry(String className, long instances, long bytes) {
    }

    private static final Pattern ROW = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

    private HeapHistogram() {}

    /** The {@code top} classes by live bytes (taking it runs a full GC). */
    public static List<Entry> top(int top) {
        String text;
        try {
            text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
        } catch (Exception | LinkageError e) {
            return List.of();
        }
        return parse(text, top);
    }

    static List<Entry> parse(String histogram, int top) {
        List<Entry> out = new ArrayList<>();
        for (String line : histogram.split("\n")) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                out.add(new Entry(m.group(3), Long.parseLong(m.group(1)), Long.parseLong(m.group(2))));
                if (out.size() == top) {
                    break;
                }
            }
        }
        return out;
    }
}
