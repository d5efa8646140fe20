package org.specus.io.beam;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.PCollectionView;

/** {@link SideInputs} backed by the context of the DoFn call that is running the chain. */
public final class DoFnSideInputs implements SideInputs {
  private final DoFn<?, ?>.ProcessContext context;

  public DoFnSideInputs(DoFn<?, ?>.ProcessContext context) {
    this.context = context;
  }

  @Override
  public <T> T get(PCollectionView<T> view) {
    return context.sideInput(view);
  }
}
