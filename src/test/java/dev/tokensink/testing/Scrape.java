package dev.tokensink.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/** One Prometheus text-format scrape: series (name with its label block, as printed) to value. */
public record Scrape(String body, Map<String, Double> series) {

  public static Scrape parse(String body) {
    Map<String, Double> series = new LinkedHashMap<>();
    for (String line : body.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
    }
    return new Scrape(body, Map.copyOf(series));
  }

  /**
   * The value of the series {@code name} whose labels include every {@code key=value} pair given
   * (e.g. {@code "agent", "m1"}), summed over the matching series; empty when none matches.
   */
  public OptionalDouble value(String name, String... labels) {
    double sum = 0;
    boolean found = false;
    for (var e : series.entrySet()) {
      String k = e.getKey();
      if (!(k.equals(name) || k.startsWith(name + "{"))) {
        continue;
      }
      boolean all = true;
      for (int i = 0; i < labels.length; i += 2) {
        all &= k.contains(labels[i] + "=\"" + labels[i + 1] + "\"");
      }
      if (all) {
        sum += e.getValue();
        found = true;
      }
    }
    return found ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  /** As {@link #value} with 0 for a series that does not exist (yet). */
  public double valueOr0(String name, String... labels) {
    return value(name, labels).orElse(0);
  }
}
