package org.specus.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * A Flink session cluster seen through its REST API (the JobManager's REST port, what Flink's web
 * UI uses): is it there, how wide should a job be, and what state is a job in. Read-only.
 */
public final class FlinkCluster {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final String address;
  private final HttpClient http;

  private FlinkCluster(String address) {
    this.address = address;
    this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  }

  /**
   * The cluster whose REST endpoint is {@code master} (HOST:PORT, optionally with http://), after
   * checking that a Flink JobManager answers there; otherwise a one-line error naming the option.
   */
  public static FlinkCluster at(String master) {
    String address = master.trim().replaceFirst("^https?://", "").replaceFirst("/+$", "");
    if (!address.matches("[^:/\\s]+:\\d{1,5}")) {
      throw new IllegalArgumentException("--flink-master expects HOST:PORT of the JobManager's REST endpoint"
          + " (e.g. localhost:8081), got '" + master + "'");
    }
    FlinkCluster cluster = new FlinkCluster(address);
    try {
      JsonNode overview = cluster.get("/overview");
      if (!overview.has("flink-version")) {
        throw new IllegalArgumentException("--flink-master " + address + ": the server there is not a Flink JobManager");
      }
      if (overview.path("taskmanagers").asInt() == 0) {
        throw new IllegalArgumentException("--flink-master " + address + ": the Flink cluster has no TaskManager registered");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--flink-master " + address + ": no Flink JobManager answers there ("
          + reason(e) + ")");
    }
    return cluster;
  }

  /** The cluster at a REST address already checked with {@link #at}. */
  static FlinkCluster atChecked(String address) {
    return new FlinkCluster(address);
  }

  public String address() {
    return address;
  }

  /** The cluster's {@code parallelism.default}, else its number of slots. */
  public int defaultParallelism() {
    try {
      for (JsonNode entry : get("/jobmanager/config")) {
        if (entry.path("key").asText().equals("parallelism.default")) {
          return Integer.parseInt(entry.path("value").asText().trim());
        }
      }
      return Math.max(1, get("/overview").path("slots-total").asInt(1));
    } catch (IOException | NumberFormatException e) {
      return 1;
    }
  }

  /** The newest job called {@code name}: its id and state (e.g. RUNNING, RESTARTING, FINISHED, FAILED). */
  public Optional<Job> job(String name) {
    try {
      Job newest = null;
      long newestStart = Long.MIN_VALUE;
      for (JsonNode j : get("/jobs/overview").path("jobs")) {
        if (j.path("name").asText().equals(name) && j.path("start-time").asLong() > newestStart) {
          newestStart = j.path("start-time").asLong();
          newest = new Job(j.path("jid").asText(), j.path("state").asText());
        }
      }
      return Optional.ofNullable(newest);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /**
   * How often the job has restarted after a failure (Flink's {@code numRestarts} metric, which the
   * REST API refreshes every 10 s); -1 if unknown.
   */
  public long restarts(String jobId) {
    try {
      for (JsonNode m : get("/jobs/" + jobId + "/metrics?get=numRestarts")) {
        return Long.parseLong(m.path("value").asText());
      }
    } catch (IOException | NumberFormatException e) {
      // unknown
    }
    return -1;
  }

  /** The exception that ended (or last restarted) the job, as the cluster reports it. */
  public Optional<String> rootException(String jobId) {
    try {
      String text = get("/jobs/" + jobId + "/exceptions").path("root-exception").asText("");
      return text.isBlank() ? Optional.empty() : Optional.of(text);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  public record Job(String id, String state) {}

  private JsonNode get(String path) throws IOException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + address + path)).timeout(TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode() + " for " + path);
      }
      return JSON.readTree(response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static String reason(IOException e) {
    if (e instanceof ConnectException) {
      return "connection refused";
    }
    if (e instanceof HttpTimeoutException) {
      return "no answer within " + TIMEOUT.toSeconds() + " s";
    }
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException) {
      return "the answer is not Flink's REST API";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
