/**
 * The independent checker ("second opinion"): {@code ./secondgrid check i.json s.json}.
 *
 * <p>Re-verifies a solution from the instance alone. It uses only the {@code domain} records and the
 * {@code io} readers; distances, travel times, battery, pools, money and the FIFO attribution are recomputed
 * here from the words of {@code shared/spec/market-model.md} and the matcher conventions, never with solver code.
 * Tolerances: 0.001 kWh per energy record involved, 0.01 JPY per record involved (files carry Wh and sen).
 *
 * <table>
 * <caption>Rules reported (stable names)</caption>
 * <tr><th>rule</th><th>what is checked</th></tr>
 * <tr><td>offer-limit</td><td>sold(i,t) = grid out + EV charging ≤ offer kWh (0 without an offer)</td></tr>
 * <tr><td>bid-limit</td><td>got(j,t) = grid in + EV discharging ≤ bid kWh (0 without a bid)</td></tr>
 * <tr><td>export-limit</td><td>grid sales of a site in a slot ≤ exportLimitKw·Δ</td></tr>
 * <tr><td>feeder-reverse</td><td>grid out of a feeder − grid into it ≤ reverseCapacityKw·Δ per slot</td></tr>
 * <tr><td>charge-power</td><td>c(v,t) ≤ min(chargeKw, chargerKw)·Δ</td></tr>
 * <tr><td>discharge-power</td><td>e(v,t) ≤ min(dischargeKw, v2xKw)·Δ</td></tr>
 * <tr><td>ports</td><td>EVs charging or discharging at a site in a slot ≤ ports</td></tr>
 * <tr><td>battery-min</td><td>owner's energy o(v,t) ≥ minKwh, t = 0..T</td></tr>
 * <tr><td>battery-traded-negative</td><td>traded energy p(v,t) ≥ 0, t = 0..T</td></tr>
 * <tr><td>battery-capacity</td><td>o(v,t) + p(v,t) ≤ capacityKwh</td></tr>
 * <tr><td>battery-end-empty</td><td>p(v,T) = 0</td></tr>
 * <tr><td>travel</td><td>arrive(b) ≥ depart(a) + τ(a,b) + 1 between consecutive stops</td></tr>
 * <tr><td>availability</td><td>every trip (from home, between stops, back home) drives only in slots
 *     availableFrom..availableTo−1; energy only in availableFrom ≤ t &lt; availableTo</td></tr>
 * <tr><td>stop-order</td><td>arrive ≤ depart inside 0..T−1, stops in time order without overlap, consecutive
 *     stops at different sites, energy only inside its stop</td></tr>
 * <tr><td>charge-and-discharge</td><td>never both in one slot</td></tr>
 * <tr><td>unknown-reference</td><td>grid seller/buyer, itinerary EV, stop site, pool names in pools and
 *     payments resolve</td></tr>
 * <tr><td>duplicate</td><td>one grid record per (seller, buyer, slot), one itinerary per EV, one record per EV
 *     slot, one pool record per pool</td></tr>
 * <tr><td>grid-self</td><td>a grid delivery has seller ≠ buyer</td></tr>
 * <tr><td>slot-range</td><td>grid delivery slots in 0..T−1</td></tr>
 * <tr><td>negative-energy</td><td>kWh finite and ≥ 0</td></tr>
 * <tr><td>pool-values</td><td>each pool's listed V, C, F, S equal the recomputed ones; every pool with money is
 *     listed</td></tr>
 * <tr><td>pool-surplus</td><td>recomputed S ≥ 0 for every pool</td></tr>
 * <tr><td>pool-balance</td><td>a pool's payments are ≥ 0 and only between its buyers, sellers and fee
 *     payee</td></tr>
 * <tr><td>individual-rationality</td><td>a buyer pays ≤ bid·e, a seller receives ≥ ask·c (net, netting
 *     free)</td></tr>
 * <tr><td>fee-payee</td><td>the fee payee ("grid" or the EV id) nets exactly F</td></tr>
 * <tr><td>pool-split</td><td>each party nets the spec's split with k = 0.5 (checked when the pool has no other
 *     money violation)</td></tr>
 * <tr><td>trades</td><td>trade records, summed per (seller, buyer, slot, channel), equal the grid deliveries
 *     and the FIFO attribution of each EV</td></tr>
 * <tr><td>welfare</td><td>welfareJpy = recomputed W</td></tr>
 * <tr><td>totals</td><td>curtailedKwh = Σ offers − Σ sold, unmetKwh = Σ bids − Σ got</td></tr>
 * <tr><td>header</td><td>modelVersion 1, market and deliveryDay of the instance</td></tr>
 * </table>
 */
package org.secondgrid.matcher.check;
