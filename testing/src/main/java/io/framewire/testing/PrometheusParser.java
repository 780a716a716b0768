package io.framewire.testing;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads Prometheus text with the Prometheus project's own parser: the Python client's
 * {@code prometheus_client.parser} (Debian's python3-prometheus-client), run as a child process. A
 * text it refuses is an {@link AssertionError} carrying the parser's message.
 */
public final class PrometheusParser {
    /** One sample: its full name (with {@code _total}, {@code _count}, ...), its labels and value. */
    public record Sample(String name, Map<String, Object> labels, double value) {
    }

    private static final String SCRIPT = "import sys, json\n"
            + "from prometheus_client.parser import text_string_to_metric_families\n"
            + "for f in text_string_to_metric_families(sys.stdin.read()):\n"
            + "    for s in f.samples:\n"
            + "        print(json.dumps({'name': s.name, 'labels': s.labels, 'value': s.value}))\n";

    private PrometheusParser() {
    }

    /**
     * @return why the parser cannot run here (no python3, no prometheus_client), or empty when it can;
     *         tests skip visibly with this reason
     */
    public static Optional<String> unavailable() {
        try {
            Process p = new ProcessBuilder(python(), "-c", "import prometheus_client").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return Optional.of("the Prometheus parser is not installed (apt-get install python3-prometheus-client): " + out);
            }
            return Optional.empty();
        } catch (IOException | InterruptedException e) {
            return Optional.of("python3 cannot run: " + e);
        }
    }

    /** @return the samples of {@code text}, in order; fails when the parser refuses the text */
    public static List<Sample> parse(String text) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(python(), "-c", SCRIPT).redirectErrorStream(true).start();
        p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the Prometheus parser did not finish");
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("the Prometheus parser refused the text:\n" + out + "\n---\n" + text);
        }
        List<Sample> samples = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                Map<String, Object> m = JSON.std.mapFrom(line);
                @SuppressWarnings("unchecked")
                Map<String, Object> labels = (Map<String, Object>) m.get("labels");
                samples.add(new Sample((String) m.get("name"), labels, ((Number) m.get("value")).doubleValue()));
            }
        }
        return samples;
    }

    /** @return the value of the sample {@code name} with exactly {@code labels}; fails when there is none */
    public static double value(List<Sample> samples, String name, Map<String, Object> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().equals(labels)).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels + " in " + samples)).value();
    }

    /** Debian's interpreter: the parser is a Debian package (a pyenv python3 on PATH does not see it). */
    private static String python() {
        return new File("/usr/bin/python3").canExecute() ? "/usr/bin/python3" : "python3";
    }
}
