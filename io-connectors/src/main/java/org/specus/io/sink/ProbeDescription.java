package org.specus.io.sink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contact geometry as a probeinterface ProbeGroup dictionary, the form SpikeInterface stores in a
 * Zarr root attribute ({@code probe}/{@code probegroup}) and in a binary folder's {@code probe.json}.
 * Contacts are drawn as 12 µm squares (Neuropixels sites) since the readers do not know the shape.
 */
public final class ProbeDescription {
  private ProbeDescription() {}

  public static Map<String, Object> probeGroup(List<String> channelIds, double[][] locations) {
    int n = locations.length;
    List<Object> positions = new ArrayList<>();
    List<Object> axes = new ArrayList<>();
    List<Object> shapes = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    List<Object> device = new ArrayList<>();
    List<Object> shanks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      positions.add(List.of(locations[i][0], locations[i][1]));
      axes.add(List.of(List.of(1.0, 0.0), List.of(0.0, 1.0)));
      shapes.add("square");
      params.add(Map.of("width", 12.0));
      device.add(i);
      shanks.add("");
    }
    Map<String, Object> probe = new LinkedHashMap<>();
    probe.put("ndim", 2);
    probe.put("si_units", "um");
    probe.put("annotations", Map.of("name", "", "manufacturer", ""));
    probe.put("contact_annotations", Map.of());
    probe.put("planar_contour", null);
    probe.put("contact_positions", positions);
    probe.put("contact_plane_axes", axes);
    probe.put("contact_shapes", shapes);
    probe.put("contact_shape_params", params);
    probe.put("device_channel_indices", device);
    probe.put("contact_ids", new ArrayList<>(channelIds));
    probe.put("shank_ids", shanks);
    Map<String, Object> group = new LinkedHashMap<>();
    group.put("specification", "probeinterface");
    group.put("version", "0.2.21");
    group.put("probes", List.of(probe));
    return group;
  }
}
