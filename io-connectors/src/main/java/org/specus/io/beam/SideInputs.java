package org.specus.io.beam;

import org.apache.beam.sdk.values.PCollectionView;

/** Access to the side inputs a DoFn was given, so ops need not know which DoFn runs them. */
@FunctionalInterface
public interface SideInputs {
  <T> T get(PCollectionView<T> view);

  SideInputs NONE =
      new SideInputs() {
        @Override
        public <T> T get(PCollectionView<T> view) {
          throw new IllegalStateException("no side inputs are available here for " + view);
        }
      };
}
