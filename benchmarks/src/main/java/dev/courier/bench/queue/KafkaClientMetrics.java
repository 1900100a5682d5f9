package dev.courier.bench.queue;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Prints what each Kafka client in this JVM sent and fetched, from the clients' own JMX metrics
 * (since each started): records per produce request and per fetch, bytes per record. Both sides'
 * clients do the same work per call, so a difference here (more, smaller requests; bigger records)
 * is work the broker's threads do for one side and not the other.
 */
final class KafkaClientMetrics {
  private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

  private KafkaClientMetrics() {}

  static void print() throws Exception {
    System.out.println("| Kafka client | requests | records | records per request | bytes out per record"
        + " | fetches | records fetched | records per fetch | bytes fetched per record |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (ObjectName name : names("kafka.producer:type=producer-metrics,client-id=*")) {
      double requests = value(name, "request-total");
      double records = value(name, "record-send-total");
      double bytes = value(name, "outgoing-byte-total");
      System.out.printf(Locale.ROOT, "| producer %s | %.0f | %.0f | %.1f | %.0f | | | | |%n",
          name.getKeyProperty("client-id"), requests, records, records / requests, bytes / records);
    }
    for (ObjectName name : names("kafka.consumer:type=consumer-fetch-manager-metrics,client-id=*")) {
      if (name.getKeyProperty("topic") != null) {
        continue;
      }
      double fetches = value(name, "fetch-total");
      double records = value(name, "records-consumed-total");
      double bytes = value(name, "bytes-consumed-total");
      System.out.printf(Locale.ROOT, "| consumer %s | | | | | %.0f | %.0f | %.1f | %.0f |%n",
          name.getKeyProperty("client-id"), fetches, records, records / fetches, bytes / records);
    }
  }

  private static Set<ObjectName> names(String pattern) throws Exception {
    return new java.util.TreeSet<>(SERVER.queryNames(new ObjectName(pattern), null));
  }

  private static double value(ObjectName name, String attribute) throws Exception {
    return ((Number) SERVER.getAttribute(name, attribute)).doubleValue();
  }
}
