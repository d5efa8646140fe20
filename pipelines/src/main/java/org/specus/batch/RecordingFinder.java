package org.specus.batch;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.specus.io.ReaderOptions;

/**
 * Finds every recording under a root, in every format that has a {@link RecordingDiscovery}, and
 * maps each to an output path that mirrors the input tree under the output root.
 *
 * <p>Symbolic links are followed (labs link raw data in from several disks; loops are reported, not
 * followed). Hidden directories, Zarr stores ({@code *.zarr}), directories a format reads whole
 * (MEF 3.0 {@code .mefd}) and the output root itself, when it lies under the input root, are not
 * entered. Directories that cannot be read are reported.
 */
public final class RecordingFinder {
  /** Every format the batch knows, without a MEF 3.0 password, SpikeGLX trigger files apart. */
  public static final List<RecordingDiscovery> DEFAULT_FORMATS = formats(null, false);

  /**
   * Every format the batch knows; add new {@link RecordingDiscovery} implementations here. Zarr
   * stores are not among them: they are what the batch writes.
   *
   * @param mefPassword the password MEF 3.0 sessions are opened with, or {@code null}
   * @param concatTriggers one SpikeGLX recording per gate and probe, its trigger files joined
   */
  public static List<RecordingDiscovery> formats(String mefPassword, boolean concatTriggers) {
    return List.of(new SpikeGlxDiscovery(concatTriggers), new OpenEphysDiscovery(), new NwbDiscovery(),
        new Mef3Discovery(mefPassword));
  }

  /**
   * A recording found under the root.
   *
   * @param options how to open it (which series of a file that holds several, a password)
   * @param relativeInput the input relative to the root
   */
  public record Candidate(Path input, ReaderOptions options, String format, Path relativeInput, Path output) {
    /**
     * The input as plans and reports show it: its path under the root, and the stream or series
     * chosen in it, or that its gate's trigger files are joined.
     */
    public String name() {
      String part = options.series() != null ? options.series() : options.stream() != null ? options.stream()
          : options.concatTriggers() ? "triggers joined" : null;
      return relativeInput + (part == null ? "" : " [" + part + "]");
    }
  }

  /** What the walk found, sorted by relative input path, and what it could not read. */
  public record Found(List<Candidate> recordings, List<String> problems) {}

  private final List<RecordingDiscovery> formats;
  private final List<String> includeGlobs;

  public RecordingFinder(List<RecordingDiscovery> formats, List<String> includeGlobs) {
    this.formats = List.copyOf(formats);
    this.includeGlobs = List.copyOf(includeGlobs);
    for (String g : includeGlobs) {
      matcher(g); // a malformed pattern is an error before anything is walked
    }
  }

  /**
   * Walks {@code root}.
   *
   * @throws IllegalArgumentException if the root is not a readable directory, or is itself a recording
   */
  public Found find(Path root, Path outRoot) {
    Path base = root.toAbsolutePath().normalize();
    Path out = outRoot.toAbsolutePath().normalize();
    if (!Files.isDirectory(base)) {
      throw new IllegalArgumentException("--root " + root + ": not a directory");
    }
    for (RecordingDiscovery format : formats) {
      if (format.isRecordingDirectory(base)) {
        // Walked from inside, its files would be taken for recordings of their own, or for nothing.
        throw new IllegalArgumentException("--root " + root + ": is one " + format.format() + " recording, not a"
            + " folder of recordings; give the folder that holds it (--include can choose it), or run"
            + " specus preprocess on it");
      }
    }
    List<PathMatcher> includes = includeGlobs.stream().map(RecordingFinder::matcher).toList();
    List<Candidate> found = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    Map<Path, List<Path>> filesOf = new HashMap<>();
    try {
      Files.walkFileTree(base, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(base) && (skipped(dir) || dir.equals(out))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              if (!dir.equals(base) && formats.stream().anyMatch(f -> f.isRecordingDirectory(dir))) {
                filesOf.get(dir.getParent()).add(dir);
                return FileVisitResult.SKIP_SUBTREE;
              }
              filesOf.put(dir, new ArrayList<>());
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile()) {
                filesOf.get(file.getParent()).add(file);
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              problems.add(file + ": " + (e instanceof FileSystemLoopException
                  ? "symbolic link loop, not followed" : "cannot be read (" + e.getMessage() + ")"));
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) {
              List<Path> files = filesOf.remove(dir);
              if (e != null) {
                problems.add(dir + ": cannot be listed (" + e.getMessage() + ")");
              }
              if (files != null) {
                files.sort(Comparator.comparing(f -> f.getFileName().toString()));
                collect(base, out, dir, files, includes, found);
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new IllegalArgumentException("--root " + root + ": cannot be walked (" + e.getMessage() + ")");
    }
    found.sort(Comparator.comparing(Candidate::name));
    return new Found(List.copyOf(found), List.copyOf(problems));
  }

  private void collect(Path base, Path out, Path dir, List<Path> files, List<PathMatcher> includes,
      List<Candidate> found) {
    Path mirrored = out.resolve(base.relativize(dir).toString());
    for (RecordingDiscovery format : formats) {
      for (RecordingDiscovery.Found f : format.recordingsIn(dir, files)) {
        Path relative = base.relativize(f.input());
        if (includes.isEmpty() || includes.stream().anyMatch(m -> m.matches(relative))) {
          found.add(new Candidate(f.input(), f.options(), format.format(), relative,
              mirrored.resolve(f.outputName()).normalize()));
        }
      }
    }
  }

  private static boolean skipped(Path dir) {
    String name = dir.getFileName().toString();
    return name.startsWith(".") || name.endsWith(".zarr");
  }

  private static PathMatcher matcher(String glob) {
    try {
      return FileSystems.getDefault().getPathMatcher("glob:" + glob);
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("--include " + glob + ": not a valid glob (" + e.getDescription() + ")");
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--include " + glob + ": not a valid glob (" + e.getMessage() + ")");
    }
  }
}
