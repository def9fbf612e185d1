// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

interface IRegionalCoin {
    function transferFrom(address from, address to, uint256 value) external returns (bool);
    function transfer(address to, uint256 value) external returns (bool);
}

interface IKwhCertificate {
    function mintBatch(address[] calldata to, uint256 id, uint256[] calldata wh) external;
}

/// @title Settlement: pays metered trades from buyers' escrowed regional coins and mints kWh certificates.
/// @notice Coins deposited here form each account's escrow (`escrowOf`); settle() moves value between escrow
///         accounts (buyer -> seller, buyer -> EV owner or grid operator) without token transfers, so a
///         participant's many trades in one batch cost one cold storage access plus cheap warm updates (net
///         payment per participant per batch). Sellers and EV owners withdraw their proceeds when they like.
///         Every trade is on chain as a Traded event (addresses only, no personal data).
contract Settlement {
    /// kind of a trade record
    uint8 public constant KIND_ENERGY = 0;     // peer-to-peer delivery: certificate minted to the buyer
    uint8 public constant KIND_IMBALANCE = 1;  // imbalance with the backup retailer: money only, no certificate

    /// A trade record is one packed word (gas: 32 bytes of calldata instead of 256), with participants given by index
    /// into the batch's `parties` list, from the most significant bits:
    ///   seller index 24 | buyer index 24 | carrier index 24 | slot 16 | kind 8 | wh 48 | amount 48 | fee 48  (= 240 bits)
    /// seller: payee of `amount`; buyer: payer of `amount + fee`, receives the certificate for energy; carrier: account of
    /// the carrying EV, receives `fee` (a carrier index pointing at address(0) = grid delivery, fee to gridOperator);
    /// amounts in coin units (0.01 JPY), wh in Wh.
    uint256 private constant M24 = 0xFFFFFF;
    uint256 private constant M48 = 0xFFFFFFFFFFFF;

    /// running state of one settle() call (in memory: keeps the stack small)
    struct Acc {
        address buyer;    // current run of trades with the same buyer
        uint256 debit;    // the run's debit
        uint256 runWh;    // the run's certificate Wh
        uint256 runs;     // buyers collected for minting
        uint256 gridFees; // fees of grid deliveries, credited to gridOperator once
        uint256 amount;   // total money moved
    }

    IRegionalCoin public immutable coin;
    IKwhCertificate public immutable certificates;
    address public admin;
    address public operator;
    address public gridOperator;
    mapping(address => uint256) public escrowOf;
    mapping(bytes32 => bool) public settled;
    uint256 public settledWh;

    event Deposited(address indexed account, uint256 amount);
    event Withdrawn(address indexed account, uint256 amount);
    event OperatorChanged(address indexed previous, address indexed next);
    event GridOperatorChanged(address indexed previous, address indexed next);
    event Settled(bytes32 indexed settlementId, uint32 day, uint256 trades, uint256 wh, uint256 amount);
    event Traded(address indexed seller, address indexed buyer, address carrier, uint16 slot, uint8 kind,
        uint64 wh, uint64 amount, uint64 fee);

    error NotAdmin(address caller);
    error NotOperator(address caller);
    error AlreadySettled(bytes32 settlementId);
    error InsufficientEscrow(address account, uint256 needed, uint256 available);
    error EmptyBatch();
    error ZeroAddress();
    error BadKind(uint256 index, uint8 kind);
    error TransferFailed();
    error LengthMismatch(uint256 a, uint256 b);

    constructor(address coin_, address certificates_, address operator_, address gridOperator_) {
        if (coin_ == address(0) || certificates_ == address(0) || operator_ == address(0) || gridOperator_ == address(0)) {
            revert ZeroAddress();
        }
        coin = IRegionalCoin(coin_);
        certificates = IKwhCertificate(certificates_);
        admin = msg.sender;
        operator = operator_;
        gridOperator = gridOperator_;
    }

    function setOperator(address next) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (next == address(0)) revert ZeroAddress();
        emit OperatorChanged(operator, next);
        operator = next;
    }

    function setGridOperator(address next) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        if (next == address(0)) revert ZeroAddress();
        emit GridOperatorChanged(gridOperator, next);
        gridOperator = next;
    }

    /// Moves `amount` coins from the caller (after approve) into its escrow.
    function deposit(uint256 amount) external {
        if (!coin.transferFrom(msg.sender, address(this), amount)) revert TransferFailed();
        escrowOf[msg.sender] += amount;
        emit Deposited(msg.sender, amount);
    }

    /// Moves sum(amounts) coins from the caller (after approve) into the escrow of each account, e.g. the platform
    /// topping up buyers' escrow against yen they paid. One pull from the caller, one Deposited event per account.
    function depositFor(address[] calldata accounts, uint256[] calldata amounts) external {
        if (accounts.length != amounts.length) revert LengthMismatch(accounts.length, amounts.length);
        uint256 total;
        for (uint256 i = 0; i < accounts.length; i++) {
            if (accounts[i] == address(0)) revert ZeroAddress();
            escrowOf[accounts[i]] += amounts[i];
            total += amounts[i];
            emit Deposited(accounts[i], amounts[i]);
        }
        if (!coin.transferFrom(msg.sender, address(this), total)) revert TransferFailed();
    }

    /// Pays `amount` coins of the caller's escrow (deposits and proceeds) back to the caller.
    function withdraw(uint256 amount) external {
        uint256 e = escrowOf[msg.sender];
        if (e < amount) revert InsufficientEscrow(msg.sender, amount, e);
        unchecked { escrowOf[msg.sender] = e - amount; }
        emit Withdrawn(msg.sender, amount);
        if (!coin.transfer(msg.sender, amount)) revert TransferFailed();
    }

    /// Settles one batch of one delivery day (`day` = days since 1970-01-01). Operator only; a settlementId
    /// settles once. Trades sorted by buyer net each buyer's debit and certificate into one update.
    function settle(bytes32 settlementId, uint32 day, address[] calldata parties, uint256[] calldata trades) external {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        if (settled[settlementId]) revert AlreadySettled(settlementId);
        uint256 n = trades.length;
        if (n == 0) revert EmptyBatch();
        settled[settlementId] = true;

        address[] memory to = new address[](n);
        uint256[] memory whs = new uint256[](n);
        Acc memory acc;
        for (uint256 i = 0; i < n; i++) {
            uint256 w = trades[i];
            address b = parties[(w >> 192) & M24];
            if (b != acc.buyer) {
                if (acc.debit > 0 || acc.runWh > 0) _flush(acc, to, whs);
                if (b == address(0)) revert ZeroAddress();
                acc.buyer = b;
                acc.debit = 0;
                acc.runWh = 0;
            }
            _trade(parties, w, i, acc);
        }
        _flush(acc, to, whs);
        if (acc.gridFees > 0) escrowOf[gridOperator] += acc.gridFees;
        uint256 runs = acc.runs;
        uint256 totalWh;
        for (uint256 r = 0; r < runs; r++) totalWh += whs[r];
        settledWh += totalWh;
        emit Settled(settlementId, day, n, totalWh, acc.amount);

        if (runs > 0) {
            assembly {
                mstore(to, runs)
                mstore(whs, runs)
            }
            certificates.mintBatch(to, vintageMonth(day), whs);
        }
    }

    function _trade(address[] calldata parties, uint256 w, uint256 i, Acc memory acc) private {
        uint256 amount = (w >> 48) & M48;
        uint256 fee = w & M48;
        uint8 kind = uint8(w >> 144);
        uint256 wh = (w >> 96) & M48;
        address seller = parties[w >> 216];
        address carrier = parties[(w >> 168) & M24];
        if (seller == address(0)) revert ZeroAddress();
        if (kind == KIND_ENERGY) acc.runWh += wh;
        else if (kind != KIND_IMBALANCE) revert BadKind(i, kind);
        acc.debit += amount + fee;
        acc.amount += amount + fee;
        escrowOf[seller] += amount;
        if (carrier == address(0)) acc.gridFees += fee;
        else escrowOf[carrier] += fee;
        emit Traded(seller, acc.buyer, carrier, uint16(w >> 152), kind, uint64(wh), uint64(amount), uint64(fee));
    }

    function _flush(Acc memory acc, address[] memory to, uint256[] memory whs) private {
        address buyer = acc.buyer;
        uint256 e = escrowOf[buyer];
        if (e < acc.debit) revert InsufficientEscrow(buyer, acc.debit, e);
        unchecked { escrowOf[buyer] = e - acc.debit; }
        if (acc.runWh > 0) {
            uint256 r = acc.runs;
            to[r] = buyer;
            whs[r] = acc.runWh;
            acc.runs = r + 1;
        }
    }

    /// Escrow of several accounts in one call (for reconciliation).
    function escrowOfBatch(address[] calldata accounts) external view returns (uint256[] memory out) {
        out = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; i++) out[i] = escrowOf[accounts[i]];
    }

    /// Certificate token id of a delivery day: its month as yyyymm (civil-from-days, proleptic Gregorian).
    function vintageMonth(uint32 day) public pure returns (uint256) {
        unchecked {
            uint256 z = uint256(day) + 719468;
            uint256 era = z / 146097;
            uint256 doe = z - era * 146097;
            uint256 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
            uint256 y = yoe + era * 400;
            uint256 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
            uint256 mp = (5 * doy + 2) / 153;
            uint256 m = mp < 10 ? mp + 3 : mp - 9;
            if (m <= 2) y += 1;
            return y * 100 + m;
        }
    }
}
