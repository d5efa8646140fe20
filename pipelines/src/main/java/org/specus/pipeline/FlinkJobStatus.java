package org.specus.pipeline;

import java.util.function.Supplier;

/**
 * The Flink cluster's view of a running job, for the progress line: its state and how often it
 * restarted after a failure (e.g. a TaskManager that died). Shards on disk say how far the job
 * got; this says whether it is healthy. Nothing for the DirectRunner or the embedded MiniCluster.
 */
public final class FlinkJobStatus implements Supplier<String> {
  private final FlinkCluster cluster;
  private final String jobName;
  private String jobId;

  private FlinkJobStatus(FlinkCluster cluster, String jobName) {
    this.cluster = cluster;
    this.jobName = jobName;
  }

  public static Supplier<String> forRunner(RunnerSettings runner) {
    if (runner.flinkMaster() == null) {
      return () -> "";
    }
    return new FlinkJobStatus(FlinkCluster.atChecked(runner.flinkMaster()), runner.jobName());
  }

  @Override
  public String get() {
    if (jobId == null) {
      var job = cluster.job(jobName);
      if (job.isEmpty()) {
        return "; Flink job submitting";
      }
      jobId = job.get().id();
      return "; Flink job " + job.get().state();
    }
    String state = cluster.job(jobName).map(FlinkCluster.Job::state).orElse("unknown");
    long restarts = cluster.restarts(jobId);
    return "; Flink job " + state + (restarts > 0 ? ", " + restarts + (restarts == 1 ? " restart" : " restarts") : "");
  }
}
