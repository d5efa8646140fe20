package org.specus.io.mef3;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.specus.io.ChoiceNeeded;
import org.specus.io.RecordingException;
import org.specus.io.Summaries;

/**
 * The channels of a session that share one sampling rate. Clinical sessions often mix rates (macro
 * contacts at a few hundred Hz to a few kHz beside micro-wires at 32 kHz); a recording has one rate,
 * so such a session is read one group at a time, chosen with {@code --stream} by the group's name.
 *
 * @param name the rate and its unit, as {@code --stream} takes it: {@code 32000Hz}, {@code 512.5Hz}
 * @param channels the group's channel names, in natural order
 */
public record RateGroup(String name, double rate, List<String> channels) {

  static String nameOf(double rate) {
    return Summaries.number(rate) + "Hz";
  }

  /** The groups, slowest first. */
  static List<RateGroup> of(List<MefChannel> channels) {
    List<RateGroup> groups = new ArrayList<>();
    byRate(channels).forEach((rate, group) -> groups.add(
        new RateGroup(nameOf(rate), rate, group.stream().map(c -> c.name).toList())));
    return groups;
  }

  /**
   * The channels {@code stream} names: all of them when it is {@code null} and they share one rate.
   *
   * @throws RecordingException when the session mixes rates and none was chosen, or none matches
   */
  static List<MefChannel> choose(Path mefd, List<MefChannel> all, String stream) {
    Map<Double, List<MefChannel>> byRate = byRate(all);
    List<String> names = byRate.keySet().stream().map(RateGroup::nameOf).toList();
    if (stream == null) {
      if (byRate.size() == 1) {
        return all;
      }
      List<String> described = new ArrayList<>();
      byRate.forEach((rate, group) -> described.add(Summaries.number(rate) + " Hz: " + channelList(group)));
      throw new ChoiceNeeded(mefd, "channels are sampled at " + byRate.size() + " rates (" + String.join("; ",
          described) + "); choose one with --stream, e.g. --stream " + names.get(names.size() - 1), "--stream", names);
    }
    String wanted = stream.trim().replaceFirst("(?i)\\s*hz$", "");
    for (Map.Entry<Double, List<MefChannel>> e : byRate.entrySet()) {
      if (Summaries.number(e.getKey()).equals(wanted) || parses(wanted, e.getKey())) {
        return e.getValue();
      }
    }
    throw RecordingException.in(mefd, "no channels sampled at " + stream + " (--stream takes one of: "
        + String.join(", ", names) + ")");
  }

  private static boolean parses(String wanted, double rate) {
    try {
      return Double.parseDouble(wanted) == rate;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static Map<Double, List<MefChannel>> byRate(List<MefChannel> channels) {
    Map<Double, List<MefChannel>> byRate = new TreeMap<>();
    for (MefChannel c : channels) {
      byRate.computeIfAbsent(c.samplingRate(), r -> new ArrayList<>()).add(c);
    }
    return byRate;
  }

  private static String channelList(List<MefChannel> group) {
    String first = String.join(", ", group.stream().limit(3).map(c -> c.name).toList());
    return group.size() <= 3 ? first : String.format(Locale.ROOT, "%s, ... (%d channels)", first, group.size());
  }
}
