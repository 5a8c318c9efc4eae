package dev.sourcevitess.domain.fake;

import java.util.Comparator;
import java.util.List;

/** Orders primary keys of text values as MySQL would: numbers numerically, text by its characters. */
final class KeyOrder implements Comparator<List<String>> {
  static final KeyOrder INSTANCE = new KeyOrder();

  @Override
  public int compare(List<String> a, List<String> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      int c = compareValue(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  private static int compareValue(String a, String b) {
    try {
      return new java.math.BigDecimal(a).compareTo(new java.math.BigDecimal(b));
    } catch (NumberFormatException e) {
      return a.compareTo(b);
    }
  }
}
