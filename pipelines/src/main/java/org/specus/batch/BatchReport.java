package org.specus.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The record of one batch run: a JSON document for machines (one object per recording, plus the
 * run's settings and totals) and a table for people.
 */
public final class BatchReport {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * Everything a report says.
   *
   * @param run settings and identity of the run (root, out, configuration, version, host, pid)
   * @param problems what the walk of the root could not read
   */
  public record Contents(Map<String, Object> run, Instant started, Instant finished,
      List<RecordingResult> recordings, List<String> problems) {

    public long count(RecordingResult.Status status) {
      return recordings.stream().filter(r -> r.status() == status).count();
    }

    public boolean failed() {
      return count(RecordingResult.Status.FAILED) > 0 || !problems.isEmpty();
    }
  }

  private BatchReport() {}

  /** Writes the JSON report atomically (a half-written report is never left under its name). */
  public static void writeJson(Path file, Contents c) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("report", "specus-batch");
    doc.put("started_at", c.started().toString());
    doc.put("finished_at", c.finished().toString());
    doc.put("wall_seconds", (c.finished().toEpochMilli() - c.started().toEpochMilli()) / 1000.0);
    doc.put("run", c.run());
    Map<String, Object> totals = new LinkedHashMap<>();
    totals.put("recordings", c.recordings().size());
    for (RecordingResult.Status s : RecordingResult.Status.values()) {
      totals.put(s.word(), c.count(s));
    }
    totals.put("tiles_computed", c.recordings().stream().mapToLong(RecordingResult::tilesComputed).sum());
    totals.put("tiles_reused", c.recordings().stream().mapToLong(RecordingResult::tilesReused).sum());
    doc.put("totals", totals);
    doc.put("problems", c.problems());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RecordingResult r : c.recordings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("input", r.input());
      m.put("output", r.output());
      m.put("format", r.format());
      m.put("status", r.status().word());
      m.put("action", r.action());
      m.put("reason", r.reason());
      m.put("recording_seconds", r.seconds());
      m.put("channels", r.channels());
      m.put("wall_seconds", round(r.wallSeconds()));
      m.put("times_real_time", r.timesRealTime() == null ? null : round(r.timesRealTime()));
      m.put("tiles_total", r.tilesTotal());
      m.put("tiles_computed", r.tilesComputed());
      m.put("tiles_reused", r.tilesReused());
      m.put("error", r.error());
      m.put("note", r.note());
      rows.add(m);
    }
    doc.put("recordings", rows);
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), doc);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The table a person reads, with totals and, last, each failure and its reason. */
  public static String table(Contents c) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"status", "recording", "length", "wall", "x real time", "shards", "computed",
        "reused"});
    for (RecordingResult r : c.recordings()) {
      boolean ran = r.status() == RecordingResult.Status.DONE;
      rows.add(new String[] {
          r.status().word(),
          r.input(),
          r.seconds() == null ? "-" : String.format(Locale.ROOT, "%.1f s", r.seconds()),
          String.format(Locale.ROOT, "%.1f s", r.wallSeconds()),
          r.timesRealTime() == null ? "-" : String.format(Locale.ROOT, "%.2fx", r.timesRealTime()),
          r.tilesTotal() == 0 ? "-" : String.valueOf(r.tilesTotal()),
          ran ? String.valueOf(r.tilesComputed()) : "-",
          ran ? String.valueOf(r.tilesReused()) : "-"});
    }
    int[] width = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    StringBuilder s = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        boolean right = i >= 2; // numbers are right-aligned
        String cell = right ? " ".repeat(width[i] - row[i].length()) + row[i]
            : row[i] + " ".repeat(width[i] - row[i].length());
        line.append(i == 0 ? "" : "  ").append(cell);
      }
      s.append(line.toString().stripTrailing()).append('\n');
    }
    double wall = (c.finished().toEpochMilli() - c.started().toEpochMilli()) / 1000.0;
    s.append(String.format(Locale.ROOT, "%d recordings: %d done, %d up to date, %d busy elsewhere, %d failed;"
            + " %d shards computed, %d reused; %.1f s%n",
        c.recordings().size(), c.count(RecordingResult.Status.DONE),
        c.count(RecordingResult.Status.SKIPPED_UP_TO_DATE), c.count(RecordingResult.Status.SKIPPED_BUSY),
        c.count(RecordingResult.Status.FAILED),
        c.recordings().stream().mapToLong(RecordingResult::tilesComputed).sum(),
        c.recordings().stream().mapToLong(RecordingResult::tilesReused).sum(), wall));
    if (c.failed()) {
      s.append("failed:\n");
      for (RecordingResult r : c.recordings()) {
        if (r.status() == RecordingResult.Status.FAILED) {
          s.append("  ").append(r.input()).append(": ").append(r.error()).append('\n');
        }
      }
      for (String p : c.problems()) {
        s.append("  ").append(p).append('\n');
      }
    }
    List<RecordingResult> noted = c.recordings().stream().filter(r -> r.note() != null).toList();
    if (!noted.isEmpty()) {
      s.append("notes:\n");
      noted.forEach(r -> s.append("  ").append(r.input()).append(": ").append(r.note()).append('\n'));
    }
    return s.toString();
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
