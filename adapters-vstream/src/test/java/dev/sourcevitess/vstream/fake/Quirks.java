package dev.sourcevitess.vstream.fake;

import io.vitess.proto.Topodata;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How the fake's tablets are set up beyond their data, each as real ones can be: their
 * {@code binlog_row_image} and {@code binlog_row_value_options}, tables whose schema they cannot
 * match to the binlog, the tablet types they serve, and replicas that lag.
 *
 * @param rowImage the tablets' binlog_row_image
 * @param partialJson whether binlog_row_value_options is PARTIAL_JSON
 * @param unnamedColumns tables whose binlog FIELD events name columns {@code @1..@N}
 * @param tabletTypes the tablet types serving in the cells
 * @param pickerWait how long VTGate looks for a tablet of a type nobody serves (90 s in Vitess)
 * @param laggingCalls how many more calls from a position find the tablet behind it
 */
public record Quirks(RowImage rowImage, boolean partialJson, Set<String> unnamedColumns,
    Set<Topodata.TabletType> tabletTypes, Duration pickerWait, AtomicInteger laggingCalls) {
  /** MySQL's binlog_row_image. */
  public enum RowImage { FULL, NOBLOB, MINIMAL }

  public Quirks {
    unnamedColumns = Set.copyOf(unnamedColumns);
    tabletTypes = Set.copyOf(tabletTypes);
  }

  static Quirks none() {
    return new Quirks(RowImage.FULL, false, Set.of(), Set.of(Topodata.TabletType.PRIMARY,
        Topodata.TabletType.REPLICA, Topodata.TabletType.RDONLY), Duration.ofSeconds(90), new AtomicInteger());
  }

  Quirks withRowImage(RowImage image, boolean partial) {
    return new Quirks(image, partial, unnamedColumns, tabletTypes, pickerWait, laggingCalls);
  }

  Quirks withUnnamedColumns(Set<String> tables) {
    return new Quirks(rowImage, partialJson, tables, tabletTypes, pickerWait, laggingCalls);
  }

  Quirks withTablets(Set<Topodata.TabletType> types, Duration wait) {
    return new Quirks(rowImage, partialJson, unnamedColumns, types, wait, laggingCalls);
  }
}
