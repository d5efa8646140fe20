package org.specus.transforms;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.apache.beam.sdk.values.PCollectionView;
import org.specus.dsp.SubsetReference;
import org.specus.io.beam.RecordingInfo;
import org.specus.io.beam.RowOp;
import org.specus.io.beam.SideInputs;
import org.specus.io.beam.SignalBlock;
import org.specus.io.beam.TileOp;
import org.specus.io.beam.Tiles;

/**
 * Subtracts from every channel, at every sample, the median (or mean) of a reference set of
 * channels: {@code tiles.apply(CommonReference.median())} removes the artifacts every channel
 * shares. Defaults follow SpikeInterface's {@code common_reference} (global, median).
 *
 * <ul>
 *   <li>{@link #global()}: all channels (or the {@link #withReferenceChannels explicit ones});
 *   <li>{@link #perGroup()}: the channels of the same group (shank), each group on its own;
 *   <li>{@link #local(double, double)}: the channels in an annulus around each channel, distances
 *       in {@code (inner, outer]} µm (SpikeInterface's default 30, 55), with at least
 *       {@link #withMinNeighbours} of them (SpikeInterface's default 5). As in SpikeInterface, a
 *       channel with fewer (e.g. at the probe's tip) still uses those it has, and the channels
 *       concerned are listed in the provenance; a channel with none is an error.
 * </ul>
 */
public final class CommonReference extends PTransform<Tiles, Tiles> {
  public static final double DEFAULT_INNER_UM = 30;
  public static final double DEFAULT_OUTER_UM = 55;
  public static final int DEFAULT_MIN_NEIGHBOURS = 5;

  /** How the shared reference is estimated at each sample. */
  public enum Operator {
    MEDIAN,
    AVERAGE
  }

  /** Which channels make each channel's reference. */
  public enum Mode {
    GLOBAL,
    GROUP,
    LOCAL
  }

  private final Operator operator;
  private final Mode mode;
  private final double innerUm;
  private final double outerUm;
  private final int minNeighbours;
  private final List<String> referenceChannels;

  private CommonReference(Operator operator, Mode mode, double innerUm, double outerUm, int minNeighbours,
      List<String> referenceChannels) {
    this.operator = operator;
    this.mode = mode;
    this.innerUm = innerUm;
    this.outerUm = outerUm;
    this.minNeighbours = minNeighbours;
    this.referenceChannels = referenceChannels;
  }

  public static CommonReference median() {
    return new CommonReference(Operator.MEDIAN, Mode.GLOBAL, DEFAULT_INNER_UM, DEFAULT_OUTER_UM,
        DEFAULT_MIN_NEIGHBOURS, List.of());
  }

  public static CommonReference average() {
    return median().withOperator(Operator.AVERAGE);
  }

  public CommonReference withOperator(Operator op) {
    if (op == null) {
      throw new IllegalArgumentException("common reference operator is missing (median or average)");
    }
    return new CommonReference(op, mode, innerUm, outerUm, minNeighbours, referenceChannels);
  }

  /** Reference over all channels (the default). */
  public CommonReference global() {
    return new CommonReference(operator, Mode.GLOBAL, innerUm, outerUm, minNeighbours, referenceChannels);
  }

  /** Reference within each channel group (shank). */
  public CommonReference perGroup() {
    return new CommonReference(operator, Mode.GROUP, innerUm, outerUm, minNeighbours, referenceChannels);
  }

  /** Reference over the channels at distances in {@code (innerUm, outerUm]} µm of each channel. */
  public CommonReference local(double innerUm, double outerUm) {
    if (!(innerUm >= 0) || !Double.isFinite(innerUm)) {
      throw new IllegalArgumentException("common reference inner radius must be a distance >= 0 in µm, got " + innerUm);
    }
    if (!(outerUm > innerUm) || !Double.isFinite(outerUm)) {
      throw new IllegalArgumentException("common reference outer radius (" + outerUm
          + " µm) must be larger than the inner radius (" + innerUm + " µm)");
    }
    return new CommonReference(operator, Mode.LOCAL, innerUm, outerUm, minNeighbours, referenceChannels);
  }

  public CommonReference withMinNeighbours(int n) {
    if (n < 1) {
      throw new IllegalArgumentException("common reference min_neighbours must be at least 1, got " + n);
    }
    return new CommonReference(operator, mode, innerUm, outerUm, n, referenceChannels);
  }

  /** Reference computed from these channels only (ids as in {@code channel_ids}), for a global reference. */
  public CommonReference withReferenceChannels(List<String> ids) {
    if (ids == null) {
      throw new IllegalArgumentException("common reference channels are missing");
    }
    return new CommonReference(operator, mode, innerUm, outerUm, minNeighbours, List.copyOf(ids));
  }

  @Override
  public Tiles expand(Tiles input) {
    RecordingInfo rec = input.recording();
    String file = rec.fileName();
    int n = rec.numChannels();
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("op", "common_reference");
    p.put("reference", mode.name().toLowerCase(Locale.ROOT));
    p.put("operator", operator.name().toLowerCase(Locale.ROOT));
    if (!referenceChannels.isEmpty() && mode != Mode.GLOBAL) {
      throw new IllegalArgumentException("common reference: explicit reference channels work with the global"
          + " reference only, not with " + p.get("reference"));
    }
    PCollectionView<ChannelLabels> excluded = excludedChannels(input);
    if (excluded != null) {
      p.put("excludes", "bad channels");
    }
    if (mode == Mode.GLOBAL && referenceChannels.isEmpty()) {
      if (n < 2) {
        throw new IllegalArgumentException(file + ": a common reference needs at least 2 channels, the recording has " + n);
      }
      if (excluded != null) {
        int[] all = new int[n];
        for (int c = 0; c < n; c++) {
          all[c] = c;
        }
        return input.then(new Op(operator, new int[][] {all}, new int[n], p, excluded));
      }
      return input.then(new Op(operator, null, null, p, null));
    }
    int[] setOf = new int[n];
    int[][] sets;
    switch (mode) {
      case GLOBAL -> {
        int[] ref = new int[referenceChannels.size()];
        for (int i = 0; i < ref.length; i++) {
          ref[i] = rec.channelIds().indexOf(referenceChannels.get(i));
          if (ref[i] < 0) {
            throw new IllegalArgumentException(file + ": common reference channel '" + referenceChannels.get(i)
                + "' is not a channel of the recording (ids look like " + rec.channelIds().get(0) + ")");
          }
        }
        sets = new int[][] {ref};
        p.put("reference_channels", referenceChannels);
      }
      case GROUP -> {
        sets = SubsetReference.groupSets(rec.channelGroups(), setOf);
        for (int[] s : sets) {
          if (s.length < 2) {
            throw new IllegalArgumentException(file + ": channel group of " + rec.channelIds().get(s[0])
                + " has a single channel; a group reference needs at least 2");
          }
        }
        p.put("groups", sets.length);
      }
      case LOCAL -> {
        if (rec.locations() == null) {
          throw new IllegalArgumentException(file + ": a local common reference needs contact positions,"
              + " and the recording has none");
        }
        sets = SubsetReference.annulusSets(rec.locations(), innerUm, outerUm);
        List<String> few = new ArrayList<>();
        for (int c = 0; c < n; c++) {
          setOf[c] = c;
          if (sets[c].length == 0) {
            throw new IllegalArgumentException(file + ": channel " + rec.channelIds().get(c)
                + " has no neighbour between " + innerUm + " and " + outerUm
                + " µm for the local common reference; widen the annulus");
          }
          if (sets[c].length < minNeighbours) {
            few.add(rec.channelIds().get(c));
          }
        }
        p.put("inner_um", innerUm);
        p.put("outer_um", outerUm);
        p.put("min_neighbours", minNeighbours);
        p.put("channels_below_min_neighbours", few);
      }
      default -> throw new IllegalStateException(mode.toString());
    }
    return input.then(new Op(operator, sets, setOf, p, excluded));
  }

  /** The labels of an earlier bad-channel step that excludes (zeroes) bad channels, if any. */
  private static PCollectionView<ChannelLabels> excludedChannels(Tiles input) {
    PCollectionView<ChannelLabels> view = null;
    for (TileOp op : input.chain().ops()) {
      if (op instanceof BadChannelsOp b) {
        view = b.action() == DetectBadChannels.Action.EXCLUDE ? b.labels() : null;
      }
    }
    return view;
  }

  @Override
  public void populateDisplayData(DisplayData.Builder builder) {
    super.populateDisplayData(builder);
    builder.add(DisplayData.item("operator", operator.name().toLowerCase(Locale.ROOT)))
        .add(DisplayData.item("reference", mode.name().toLowerCase(Locale.ROOT)));
  }

  /**
   * The global reference ({@code sets == null}) or per-channel reference sets; with excluded
   * channels, the bad ones are left out of every set and stay as they are (zero).
   */
  static final class Op implements TileOp {
    private final Operator operator;
    private final int[][] sets;
    private final int[] setOf;
    private final Map<String, Object> parameters;
    private final PCollectionView<ChannelLabels> excluded;
    private transient ChannelLabels cachedFor;
    private transient int[][] cachedSets;
    private transient int[] cachedSetOf;

    Op(Operator operator, int[][] sets, int[] setOf, Map<String, Object> parameters,
        PCollectionView<ChannelLabels> excluded) {
      this.operator = operator;
      this.sets = sets;
      this.setOf = setOf;
      this.parameters = parameters;
      this.excluded = excluded;
    }

    @Override
    public List<PCollectionView<?>> sideInputs() {
      return excluded == null ? List.of() : List.of(excluded);
    }

    /** The sets without bad channels; bad channels, and channels whose set is left empty, are untouched. */
    private synchronized void withoutBad(ChannelLabels labels) {
      if (cachedFor == labels) {
        return;
      }
      cachedSets = new int[sets.length][];
      for (int s = 0; s < sets.length; s++) {
        cachedSets[s] = java.util.Arrays.stream(sets[s]).filter(c -> !labels.isBad(c)).toArray();
      }
      cachedSetOf = setOf.clone();
      for (int c = 0; c < setOf.length; c++) {
        if (labels.isBad(c) || cachedSets[setOf[c]].length == 0) {
          cachedSetOf[c] = -1;
        }
      }
      for (int s = 0; s < sets.length; s++) {
        if (cachedSets[s].length == 0) {
          cachedSets[s] = new int[] {0}; // unused: no channel refers to it any more
        }
      }
      cachedFor = labels;
    }

    @Override
    public String name() {
      return "common_reference";
    }

    @Override
    public int marginSamples() {
      return 0;
    }

    @Override
    public void apply(SignalBlock block, SideInputs sideInputs) {
      if (excluded != null) {
        ChannelLabels labels = sideInputs.get(excluded);
        if (labels.badCount() > 0) {
          int[][] s;
          int[] of;
          synchronized (this) {
            withoutBad(labels);
            s = cachedSets;
            of = cachedSetOf;
          }
          SubsetReference.subtract(block.data(), block.rows(), block.cols(), s, of, operator == Operator.MEDIAN);
          return;
        }
      }
      if (sets != null) {
        SubsetReference.subtract(block.data(), block.rows(), block.cols(), sets, setOf, operator == Operator.MEDIAN);
      } else {
        rowOp(sideInputs, block.cols()).apply(block.data(), 0, block.data(), 0, block.rows());
      }
    }

    /** The global reference over all channels, with no channel excluded, is row by row. */
    @Override
    public RowOp rowOp(SideInputs sideInputs, int cols) {
      if (sets != null || (excluded != null && sideInputs.get(excluded).badCount() > 0)) {
        return null;
      }
      if (operator == Operator.MEDIAN) {
        return RowOp.inPlace(new org.specus.dsp.CommonReference.Medians(cols)::subtract);
      }
      return RowOp.inPlace((x, from, to) -> org.specus.dsp.CommonReference.subtractAverage(x, from, to, cols));
    }

    @Override
    public Map<String, Object> describe() {
      return parameters;
    }
  }
}
