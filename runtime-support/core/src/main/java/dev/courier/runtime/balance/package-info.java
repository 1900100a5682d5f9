/**
 * Client-side balancing: {@link dev.courier.runtime.balance.Balancer} picks the endpoint of one
 * attempt from the current {@link dev.courier.runtime.balance.Node}s. One implementation per
 * {@link dev.courier.runtime.balance.BalancerKind}, package-private and final, created through
 * the static factories of {@code Balancer}. Every one of them passes over a node in slow start in
 * proportion to {@link dev.courier.runtime.balance.Node#admission()}, with the randomness it was
 * given.
 */
package dev.courier.runtime.balance;
