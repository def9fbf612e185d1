package org.secondgrid.settlement.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.secondgrid.settlement.contracts.generated.RegionalCoin;
import org.secondgrid.settlement.contracts.generated.Settlement;
import org.secondgrid.settlement.chain.SettleCall.ChainTrade;
import org.web3j.protocol.core.RemoteFunctionCall;
import org.secondgrid.settlement.ledger.SettlementIds;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.TransactionException;
import org.web3j.utils.Numeric;

/** Every function and every revert of the two contracts (coin; settlement with its certificates) on a real anvil, through the generated wrappers. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SettlementContractIT {

    static final long DAY = LocalDate.of(2026, 12, 5).toEpochDay();
    static final BigInteger MONTH = BigInteger.valueOf(202612);
    static final long NOVEMBER_DAY = LocalDate.of(2026, 11, 20).toEpochDay();
    static final BigInteger NOVEMBER = BigInteger.valueOf(202611);
    static final String ZERO = "0x0000000000000000000000000000000000000000";
    static final String HUGE = "0x00000000000000000000000000000000000000a3"; // escrow at the 128-bit limit

    ChainFixture chain;
    Credentials op;
    Credentials alice; // buyer
    Credentials bob;   // seller
    Credentials carol; // EV owner
    Credentials mallory;
    RegionalCoin coinOp;
    Settlement settlementOp;
    Settlement certOp; // the settlement contract holds the certificates (ERC-1155)
    int batch;

    @BeforeAll
    void start() throws Exception {
        chain = new ChainFixture();
        op = chain.operator;
        alice = DevAccounts.get(1);
        bob = DevAccounts.get(2);
        carol = DevAccounts.get(3);
        mallory = DevAccounts.get(4);
        coinOp = chain.deployment.coin(chain.web3j, op, Anvil.CHAIN_ID);
        settlementOp = chain.deployment.settlement(chain.web3j, op, Anvil.CHAIN_ID);
        certOp = settlementOp;
    }

    @AfterAll
    void stop() {
        chain.close();
    }

    RegionalCoin coin(Credentials who) {
        return chain.deployment.coin(chain.web3j, who, Anvil.CHAIN_ID);
    }

    Settlement settlement(Credentials who) {
        return chain.deployment.settlement(chain.web3j, who, Anvil.CHAIN_ID);
    }

    Settlement cert(Credentials who) {
        return settlement(who);
    }

    static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    void fundEscrow(Credentials who, long amount) throws Exception {
        coinOp.mint(who.getAddress(), big(amount)).send();
        coin(who).approve(chain.deployment.settlement(), big(amount)).send();
        settlement(who).deposit(big(amount)).send();
    }

    /** A trade record in the test's terms: BigInteger fields as the wrapper would take them. */
    record T(String seller, String buyer, String carrier, BigInteger slot, BigInteger kind, BigInteger wh, BigInteger amount,
             BigInteger fee) {
        ChainTrade chain() {
            return new ChainTrade(seller, buyer, carrier, slot.intValueExact(), kind.intValueExact(), wh.longValueExact(),
                    amount.longValueExact(), fee.longValueExact());
        }
    }

    static RemoteFunctionCall<TransactionReceipt> settle(Settlement s, byte[] id, List<T> trades) {
        return settle(s, id, DAY, trades);
    }

    static RemoteFunctionCall<TransactionReceipt> settle(Settlement s, byte[] id, long day, List<T> trades) {
        SettleCall.Packed p = SettleCall.pack(trades.stream().map(T::chain).toList());
        return s.settle(id, big(day), p.parties(), p.words());
    }

    byte[] nextId() {
        return Numeric.hexStringToByteArray(SettlementIds.of("contract-it", LocalDate.ofEpochDay(DAY), batch++));
    }

    @Test
    void coinMintTransferApproveBurnAndOperator() throws Exception {
        Credentials a = DevAccounts.get(5);
        Credentials b = DevAccounts.get(6);
        BigInteger supply0 = coinOp.totalSupply().send();
        coinOp.mint(a.getAddress(), big(1_000)).send();
        assertThat(coinOp.balanceOf(a.getAddress()).send()).isEqualTo(big(1_000));
        assertThat(coinOp.totalSupply().send()).isEqualTo(supply0.add(big(1_000)));
        assertThat(coinOp.decimals().send()).isEqualTo(big(2));
        assertThat(coinOp.symbol().send()).isEqualTo("SGJPY");

        coin(a).transfer(b.getAddress(), big(300)).send();
        assertThat(coinOp.balanceOf(b.getAddress()).send()).isEqualTo(big(300));
        coin(a).approve(b.getAddress(), big(200)).send();
        assertThat(coinOp.allowance(a.getAddress(), b.getAddress()).send()).isEqualTo(big(200));
        coin(b).transferFrom(a.getAddress(), b.getAddress(), big(150)).send();
        assertThat(coinOp.balanceOf(a.getAddress()).send()).isEqualTo(big(550));
        assertThat(coinOp.allowance(a.getAddress(), b.getAddress()).send()).isEqualTo(big(50));

        chain.assertReverts(b, chain.deployment.coin(), coin(b).transferFrom(a.getAddress(), b.getAddress(), big(51)),
                "InsufficientAllowance(address,address,uint256,uint256)");
        chain.assertReverts(a, chain.deployment.coin(), coin(a).transfer(b.getAddress(), big(551)),
                "InsufficientBalance(address,uint256,uint256)");
        chain.assertReverts(a, chain.deployment.coin(), coin(a).transfer(ZERO, big(1)), "ZeroAddress()");
        chain.assertReverts(a, chain.deployment.coin(), coin(a).mint(a.getAddress(), big(1)), "NotOperator(address)");
        chain.assertReverts(a, chain.deployment.coin(), coin(a).burn(a.getAddress(), big(1)), "NotOperator(address)");
        chain.assertReverts(op, chain.deployment.coin(), coinOp.burn(a.getAddress(), big(10_000)),
                "InsufficientBalance(address,uint256,uint256)");
        chain.assertReverts(a, chain.deployment.coin(), coin(a).setOperator(a.getAddress()), "NotOperator(address)");
        chain.assertReverts(op, chain.deployment.coin(), coinOp.setOperator(ZERO), "ZeroAddress()");
        assertThatThrownBy(() -> coin(a).mint(a.getAddress(), big(1)).send()).isInstanceOf(TransactionException.class);

        coinOp.burn(a.getAddress(), big(50)).send();
        assertThat(coinOp.balanceOf(a.getAddress()).send()).isEqualTo(big(500));
        assertThat(coinOp.totalSupply().send()).isEqualTo(supply0.add(big(950)));

        coinOp.setOperator(a.getAddress()).send();
        assertThat(coinOp.operator().send()).isEqualToIgnoringCase(a.getAddress());
        coin(a).setOperator(op.getAddress()).send();
        assertThat(coinOp.operator().send()).isEqualToIgnoringCase(op.getAddress());
    }

    @Test
    void depositWithdrawAndDepositFor() throws Exception {
        Credentials a = DevAccounts.get(7);
        BigInteger e0 = settlementOp.escrowOf(a.getAddress()).send();
        BigInteger c0 = coinOp.balanceOf(a.getAddress()).send();
        fundEscrow(a, 5_000);
        assertThat(settlementOp.escrowOf(a.getAddress()).send()).isEqualTo(e0.add(big(5_000)));
        settlement(a).withdraw(big(1_200)).send();
        BigInteger left = e0.add(big(3_800));
        assertThat(settlementOp.escrowOf(a.getAddress()).send()).isEqualTo(left);
        assertThat(coinOp.balanceOf(a.getAddress()).send()).isEqualTo(c0.add(big(1_200)));
        chain.assertReverts(a, chain.deployment.settlement(), settlement(a).withdraw(left.add(BigInteger.ONE)),
                "InsufficientEscrow(address,uint256,uint256)");
        assertThatThrownBy(() -> settlement(a).withdraw(left.add(BigInteger.ONE)).send()).isInstanceOf(TransactionException.class);
        assertThat(settlementOp.escrowOf(a.getAddress()).send()).isEqualTo(left);
        // deposit without allowance fails in the coin
        chain.assertReverts(a, chain.deployment.settlement(), settlement(a).deposit(big(1)),
                "InsufficientAllowance(address,address,uint256,uint256)");

        String x = "0x00000000000000000000000000000000000000a1";
        String y = "0x00000000000000000000000000000000000000a2";
        coinOp.mint(op.getAddress(), big(700)).send();
        coinOp.approve(chain.deployment.settlement(), big(700)).send();
        settlementOp.depositFor(List.of(x, y), List.of(big(300), big(400))).send();
        assertThat(settlementOp.escrowOf(x).send()).isEqualTo(big(300));
        assertThat(settlementOp.escrowOf(y).send()).isEqualTo(big(400));
        assertThat(settlementOp.escrowOfBatch(List.of(y, x)).send()).containsExactly(big(400), big(300));
        assertThat(coinOp.allowance(op.getAddress(), chain.deployment.settlement()).send()).isZero();
        chain.assertReverts(op, chain.deployment.settlement(), settlementOp.depositFor(List.of(x), List.of()),
                "LengthMismatch(uint256,uint256)");
        chain.assertReverts(op, chain.deployment.settlement(), settlementOp.depositFor(List.of(ZERO), List.of(big(1))),
                "ZeroAddress()");

        // escrow is the low 128 bits of the account word: more would spill into the certificates, so it reverts
        BigInteger max128 = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);
        coinOp.mint(op.getAddress(), max128.add(BigInteger.ONE)).send();
        coinOp.approve(chain.deployment.settlement(), max128.add(BigInteger.ONE)).send();
        settlementOp.depositFor(List.of(HUGE), List.of(max128)).send();
        assertThat(settlementOp.escrowOf(HUGE).send()).isEqualTo(max128);
        assertThat(certOp.balanceOf(HUGE, MONTH).send()).isZero();
        chain.assertReverts(op, chain.deployment.settlement(), settlementOp.depositFor(List.of(HUGE), List.of(big(1))),
                "Overflow(address)");
        coinOp.approve(chain.deployment.settlement(), BigInteger.ZERO).send();
        coinOp.burn(op.getAddress(), BigInteger.ONE).send();
    }

    @Test
    void settlePaysSellersCarriersGridAndMintsCertificates() throws Exception {
        fundEscrow(alice, 100_000);
        BigInteger alice0 = settlementOp.escrowOf(alice.getAddress()).send();
        BigInteger bob0 = settlementOp.escrowOf(bob.getAddress()).send();
        BigInteger carol0 = settlementOp.escrowOf(carol.getAddress()).send();
        BigInteger grid0 = settlementOp.escrowOf(chain.gridOperator.getAddress()).send();
        BigInteger cert0 = certOp.balanceOf(alice.getAddress(), MONTH).send();

        List<T> trades = List.of(
                new T(bob.getAddress(), alice.getAddress(), ZERO, big(20), big(0), big(800), big(1_200), big(640)),
                new T(bob.getAddress(), alice.getAddress(), carol.getAddress(), big(36), big(0), big(1_400), big(1_513), big(2_090)),
                new T(bob.getAddress(), alice.getAddress(), ZERO, big(37), big(1), big(100), big(300), big(0)));
        byte[] id = nextId();
        TransactionReceipt r = settle(settlementOp, id, trades).send();
        assertThat(r.isStatusOK()).isTrue();

        long paid = 1_200 + 640 + 1_513 + 2_090 + 300;
        assertThat(settlementOp.escrowOf(alice.getAddress()).send()).isEqualTo(alice0.subtract(big(paid)));
        assertThat(settlementOp.escrowOf(bob.getAddress()).send()).isEqualTo(bob0.add(big(1_200 + 1_513 + 300)));
        assertThat(settlementOp.escrowOf(carol.getAddress()).send()).isEqualTo(carol0.add(big(2_090)));
        assertThat(settlementOp.escrowOf(chain.gridOperator.getAddress()).send()).isEqualTo(grid0.add(big(640)));
        // imbalance (kind 1) is money only: 2,200 Wh of certificates, not 2,300
        assertThat(certOp.balanceOf(alice.getAddress(), MONTH).send()).isEqualTo(cert0.add(big(2_200)));
        assertThat(settlementOp.settled(id).send()).isTrue();
        assertThat(settlementOp.vintageMonth(big(DAY)).send()).isEqualTo(MONTH);
        assertThat(settlementOp.vintageMonth(big(LocalDate.of(2024, 2, 29).toEpochDay())).send()).isEqualTo(big(202402));
        assertThat(settlementOp.vintageMonth(big(0)).send()).isEqualTo(big(197001));

        // every record is on chain in the batch's one Settled event: seller, buyer, carrier, slot, kind, Wh, money
        List<ChainTrade> events = org.secondgrid.settlement.ledger.Reconciler.tradesOf(r);
        assertThat(events).hasSize(3);
        assertThat(events).containsExactlyElementsOf(trades.stream().map(T::chain)
                .map(t -> new ChainTrade(t.seller().toLowerCase(), t.buyer().toLowerCase(), t.carrier().toLowerCase(), t.slot(), t.kind(),
                        t.wh(), t.amount(), t.fee())).toList());
        assertThat(events.get(1).carrier()).isEqualToIgnoringCase(carol.getAddress());
        assertThat(events.get(2).kind()).isEqualTo(1);
        List<Settlement.SettledEventResponse> settled = Settlement.getSettledEvents(r);
        assertThat(settled).singleElement().satisfies(s -> {
            assertThat(s.trades).hasSize(3);
            assertThat(s.wh).isEqualTo(big(2_200));
            assertThat(s.amount).isEqualTo(big(paid));
            assertThat(s.day).isEqualTo(big(DAY));
            assertThat(s.settlementId).isEqualTo(id);
        });
        // one certificate mint per buyer run, as an ERC-1155 TransferSingle from address(0)
        assertThat(Settlement.getTransferSingleEvents(r)).singleElement().satisfies(e -> {
            assertThat(e.value).isEqualTo(big(2_200));
            assertThat(e.from).isEqualTo(ZERO);
            assertThat(e.to).isEqualToIgnoringCase(alice.getAddress());
            assertThat(e.id).isEqualTo(MONTH);
        });
    }

    @Test
    void settleReverts() throws Exception {
        fundEscrow(alice, 10_000);
        T t = new T(bob.getAddress(), alice.getAddress(), ZERO, big(20), big(0), big(800), big(100), big(64));
        byte[] id = nextId();
        settle(settlementOp, id, List.of(t)).send();
        BigInteger aliceAfter = settlementOp.escrowOf(alice.getAddress()).send();
        String s = chain.deployment.settlement();

        // replayed settlementId
        chain.assertReverts(op, s, settle(settlementOp, id, List.of(t)), "AlreadySettled(bytes32)");
        assertThatThrownBy(() -> settle(settlementOp, id, List.of(t)).send()).isInstanceOf(TransactionException.class);
        assertThat(settlementOp.escrowOf(alice.getAddress()).send()).isEqualTo(aliceAfter);
        // unauthorised settle
        byte[] fresh = nextId();
        chain.assertReverts(mallory, s, settle(settlement(mallory), fresh, List.of(t)), "NotOperator(address)");
        assertThatThrownBy(() -> settle(settlement(mallory), fresh, List.of(t)).send()).isInstanceOf(TransactionException.class);
        assertThat(settlementOp.settled(fresh).send()).isFalse();
        // insufficient escrow
        T tooMuch = new T(bob.getAddress(), mallory.getAddress(), ZERO, big(20), big(0), big(800), big(100), big(64));
        chain.assertReverts(op, s, settle(settlementOp, fresh, List.of(tooMuch)),
                "InsufficientEscrow(address,uint256,uint256)");
        chain.assertReverts(op, s, settle(settlementOp, fresh, List.of()), "EmptyBatch()");
        T badKind = new T(bob.getAddress(), alice.getAddress(), ZERO, big(20), big(7), big(800), big(1), big(0));
        chain.assertReverts(op, s, settle(settlementOp, fresh, List.of(badKind)), "BadKind(uint256,uint8)");
        T zeroSeller = new T(ZERO, alice.getAddress(), ZERO, big(20), big(0), big(800), big(1), big(0));
        chain.assertReverts(op, s, settle(settlementOp, fresh, List.of(zeroSeller)), "ZeroAddress()");
        // admin functions
        chain.assertReverts(mallory, s, settlement(mallory).setOperator(mallory.getAddress()), "NotAdmin(address)");
        chain.assertReverts(mallory, s, settlement(mallory).setGridOperator(mallory.getAddress()), "NotAdmin(address)");
        chain.assertReverts(op, s, settlementOp.setOperator(ZERO), "ZeroAddress()");
        chain.assertReverts(op, s, settlementOp.setGridOperator(ZERO), "ZeroAddress()");
    }

    @Test
    void adminCanHandOverOperatorAndGridOperator() throws Exception {
        Credentials next = DevAccounts.get(8);
        settlementOp.setOperator(next.getAddress()).send();
        assertThat(settlementOp.operator().send()).isEqualToIgnoringCase(next.getAddress());
        settlementOp.setOperator(op.getAddress()).send();
        settlementOp.setGridOperator(next.getAddress()).send();
        assertThat(settlementOp.gridOperator().send()).isEqualToIgnoringCase(next.getAddress());
        settlementOp.setGridOperator(chain.gridOperator.getAddress()).send();
        assertThat(settlementOp.coin().send()).isEqualToIgnoringCase(chain.deployment.coin());
        assertThat(settlementOp.admin().send()).isEqualToIgnoringCase(op.getAddress());
    }

    @Test
    void certificateFunctionsAndReverts() throws Exception {
        Credentials a = DevAccounts.get(5);
        Credentials b = DevAccounts.get(6);
        String c = chain.deployment.certificate();
        // certificates are minted by settle() only (no mint function); they live in the settlement contract
        assertThat(c).isEqualToIgnoringCase(chain.deployment.settlement());
        assertThat(certOp.supportsInterface(Numeric.hexStringToByteArray("0xd9b67a26")).send()).isTrue();
        assertThat(certOp.supportsInterface(Numeric.hexStringToByteArray("0xffffffff")).send()).isFalse();
        assertThat(certOp.uri(MONTH).send()).contains("{id}");

        fundEscrow(a, 1_000);
        settle(settlementOp, nextId(), List.of(
                new T(bob.getAddress(), a.getAddress(), ZERO, big(1), big(0), big(500), big(10), big(0)))).send();
        BigInteger a0 = certOp.balanceOf(a.getAddress(), MONTH).send();
        BigInteger b0 = certOp.balanceOf(b.getAddress(), MONTH).send();
        cert(a).safeTransferFrom(a.getAddress(), b.getAddress(), MONTH, big(200), new byte[0]).send();
        assertThat(certOp.balanceOf(b.getAddress(), MONTH).send()).isEqualTo(b0.add(big(200)));
        chain.assertReverts(b, c, cert(b).safeTransferFrom(a.getAddress(), b.getAddress(), MONTH, big(1), new byte[0]),
                "NotApproved(address,address)");
        cert(a).setApprovalForAll(b.getAddress(), true).send();
        assertThat(certOp.isApprovedForAll(a.getAddress(), b.getAddress()).send()).isTrue();
        cert(b).safeBatchTransferFrom(a.getAddress(), b.getAddress(), List.of(MONTH), List.of(big(100)), new byte[0]).send();
        assertThat(certOp.balanceOfBatch(List.of(a.getAddress(), b.getAddress()), List.of(MONTH, MONTH)).send())
                .containsExactly(a0.subtract(big(300)), b0.add(big(300)));
        chain.assertReverts(a, c, cert(a).safeTransferFrom(a.getAddress(), b.getAddress(), MONTH, a0, new byte[0]),
                "InsufficientBalance(address,uint256,uint256,uint256)");
        chain.assertReverts(a, c, cert(a).safeTransferFrom(a.getAddress(), ZERO, MONTH, big(1), new byte[0]), "ZeroAddress()");
        chain.assertReverts(a, c, cert(a).safeBatchTransferFrom(a.getAddress(), b.getAddress(), List.of(MONTH), List.of(), new byte[0]),
                "LengthMismatch(uint256,uint256)");
        chain.assertReverts(a, c, certOp.balanceOfBatch(List.of(a.getAddress()), List.of()), "LengthMismatch(uint256,uint256)");
        // a contract recipient without the receiver hook is refused
        chain.assertReverts(a, c, cert(a).safeTransferFrom(a.getAddress(), chain.deployment.coin(), MONTH, big(1), new byte[0]),
                "");
        cert(a).setApprovalForAll(b.getAddress(), false).send();
        assertThat(certOp.isApprovedForAll(a.getAddress(), b.getAddress()).send()).isFalse();
    }

    @Test
    void certificatesOfSeveralMonthsShareTheAccountWordWithEscrowWithoutMixing() throws Exception {
        Credentials g = DevAccounts.get(8);
        Credentials h = DevAccounts.get(6);
        fundEscrow(g, 10_000);
        BigInteger e0 = settlementOp.escrowOf(g.getAddress()).send();
        BigInteger nov0 = certOp.balanceOf(g.getAddress(), NOVEMBER).send();
        BigInteger dec0 = certOp.balanceOf(g.getAddress(), MONTH).send();
        BigInteger novSupply0 = certOp.totalSupply(NOVEMBER).send();
        // November, then December (the word moves November aside), then November again (an older month)
        settle(settlementOp, nextId(), NOVEMBER_DAY, List.of(new T(bob.getAddress(), g.getAddress(), ZERO, big(20), big(0), big(300),
                big(111), big(22)))).send();
        settle(settlementOp, nextId(), DAY, List.of(new T(bob.getAddress(), g.getAddress(), ZERO, big(21), big(0), big(500),
                big(200), big(0)))).send();
        settle(settlementOp, nextId(), NOVEMBER_DAY, List.of(new T(bob.getAddress(), g.getAddress(), carol.getAddress(), big(40),
                big(0), big(40), big(7), big(3)))).send();
        assertThat(certOp.balanceOf(g.getAddress(), NOVEMBER).send()).isEqualTo(nov0.add(big(340)));
        assertThat(certOp.balanceOf(g.getAddress(), MONTH).send()).isEqualTo(dec0.add(big(500)));
        assertThat(certOp.balanceOf(g.getAddress(), big(202610)).send()).isZero();
        assertThat(settlementOp.escrowOf(g.getAddress()).send()).isEqualTo(e0.subtract(big(111 + 22 + 200 + 7 + 3)));
        assertThat(certOp.totalSupply(NOVEMBER).send()).isEqualTo(novSupply0.add(big(340)));

        // transfers of either month take the right balance; escrow never moves with certificates
        BigInteger hNov0 = certOp.balanceOf(h.getAddress(), NOVEMBER).send();
        BigInteger hDec0 = certOp.balanceOf(h.getAddress(), MONTH).send();
        BigInteger hEscrow0 = settlementOp.escrowOf(h.getAddress()).send();
        cert(g).safeTransferFrom(g.getAddress(), h.getAddress(), NOVEMBER, big(340), new byte[0]).send();
        cert(g).safeTransferFrom(g.getAddress(), h.getAddress(), MONTH, big(120), new byte[0]).send();
        assertThat(certOp.balanceOf(g.getAddress(), NOVEMBER).send()).isEqualTo(nov0);
        assertThat(certOp.balanceOf(g.getAddress(), MONTH).send()).isEqualTo(dec0.add(big(380)));
        assertThat(certOp.balanceOf(h.getAddress(), NOVEMBER).send()).isEqualTo(hNov0.add(big(340)));
        assertThat(certOp.balanceOf(h.getAddress(), MONTH).send()).isEqualTo(hDec0.add(big(120)));
        assertThat(settlementOp.escrowOf(g.getAddress()).send()).isEqualTo(e0.subtract(big(343)));
        assertThat(settlementOp.escrowOf(h.getAddress()).send()).isEqualTo(hEscrow0);
        chain.assertReverts(g, chain.deployment.settlement(),
                cert(g).safeTransferFrom(g.getAddress(), h.getAddress(), NOVEMBER, nov0.add(BigInteger.ONE), new byte[0]),
                "InsufficientBalance(address,uint256,uint256,uint256)");
        // withdrawing all escrow leaves the certificates in the word
        BigInteger all = settlementOp.escrowOf(g.getAddress()).send();
        settlement(g).withdraw(all).send();
        assertThat(settlementOp.escrowOf(g.getAddress()).send()).isZero();
        assertThat(certOp.balanceOf(g.getAddress(), MONTH).send()).isEqualTo(dec0.add(big(380)));
    }

    @Test
    void invariantsCoinsConservedAndCertificatesEqualSettledWh() throws Exception {
        Random rnd = new Random(42);
        List<Credentials> parties = List.of(DevAccounts.get(1), DevAccounts.get(2), DevAccounts.get(3),
                DevAccounts.get(5), DevAccounts.get(6), DevAccounts.get(7));
        for (Credentials p : parties) {
            fundEscrow(p, 50_000);
        }
        BigInteger supply0 = coinOp.totalSupply().send();
        BigInteger settledWh0 = settlementOp.settledWh().send();
        long energyWh = 0;
        for (int b = 0; b < 5; b++) {
            List<T> trades = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                Credentials s = parties.get(rnd.nextInt(parties.size()));
                Credentials buyer = parties.get(rnd.nextInt(parties.size()));
                String carrier = rnd.nextBoolean() ? ZERO : parties.get(rnd.nextInt(parties.size())).getAddress();
                int kind = rnd.nextInt(5) == 0 ? 1 : 0;
                long wh = 1 + rnd.nextInt(3_000);
                if (kind == 0) {
                    energyWh += wh;
                }
                trades.add(new T(s.getAddress(), buyer.getAddress(), carrier, big(rnd.nextInt(48)), big(kind),
                        big(wh), big(rnd.nextInt(500)), big(rnd.nextInt(200))));
            }
            trades.sort((x, y) -> x.buyer().compareToIgnoreCase(y.buyer()));
            settle(settlementOp, nextId(), trades).send();
        }
        // coins conserved: nothing minted or burnt by settling, and the contract holds exactly the escrow of all accounts
        assertThat(coinOp.totalSupply().send()).isEqualTo(supply0);
        BigInteger escrowSum = BigInteger.ZERO;
        Map<String, Boolean> seen = new HashMap<>();
        List<String> accounts = new ArrayList<>();
        for (int i = 0; i < DevAccounts.count(); i++) {
            accounts.add(DevAccounts.get(i).getAddress());
        }
        accounts.addAll(List.of("0x00000000000000000000000000000000000000a1", "0x00000000000000000000000000000000000000a2", HUGE));
        for (String acc : accounts) {
            if (seen.put(acc.toLowerCase(), true) == null) {
                escrowSum = escrowSum.add(settlementOp.escrowOf(acc).send());
            }
        }
        assertThat(coinOp.balanceOf(chain.deployment.settlement()).send()).isEqualTo(escrowSum);
        // certificate Wh = settled Wh (all tests of this class settle in the same month)
        assertThat(certOp.totalSupply(MONTH).send().add(certOp.totalSupply(NOVEMBER).send()))
                .isEqualTo(settlementOp.settledWh().send());
        assertThat(settlementOp.settledWh().send().subtract(settledWh0)).isEqualTo(big(energyWh));
    }
}
