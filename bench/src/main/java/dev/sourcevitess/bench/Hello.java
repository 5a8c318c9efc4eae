package dev.sourcevitess.bench;

/** The start-up baseline: a trivial Java main, run the way the connector is run. */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("{\"type\":\"LOG\",\"log\":{\"level\":\"INFO\",\"message\":\"hello\"}}");
  }
}
