// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

interface IERC1155Receiver {
    function onERC1155Received(address operator, address from, uint256 id, uint256 value, bytes calldata data)
        external returns (bytes4);
    function onERC1155BatchReceived(address operator, address from, uint256[] calldata ids,
        uint256[] calldata values, bytes calldata data) external returns (bytes4);
}

/// @title KwhCertificate: ERC-1155 certificates of delivered renewable energy, balances in Wh.
/// @notice Token id = vintage month of delivery as yyyymm (e.g. 202612). One id per month keeps a buyer's
///         balance slot warm and non-zero for a whole month (a new id per day or slot would cost a fresh
///         22,100-gas storage slot per buyer per id); the per-trade detail (seller, buyer, slot, Wh, money,
///         carrying EV) is in the Settlement contract's Traded events.
///         Only the minter (the Settlement contract) mints. Mints go to participant accounts and do not call
///         onERC1155Received (recipients are externally owned accounts); transfers follow ERC-1155 fully.
contract KwhCertificate {
    address public admin;
    address public minter;
    mapping(uint256 => mapping(address => uint256)) private balances;
    mapping(address => mapping(address => bool)) public isApprovedForAll;
    mapping(uint256 => uint256) public totalSupply;

    event TransferSingle(address indexed operator, address indexed from, address indexed to, uint256 id, uint256 value);
    event TransferBatch(address indexed operator, address indexed from, address indexed to, uint256[] ids, uint256[] values);
    event ApprovalForAll(address indexed account, address indexed operator, bool approved);
    event URI(string value, uint256 indexed id);
    event MinterChanged(address indexed previous, address indexed next);

    error NotAdmin(address caller);
    error NotMinter(address caller);
    error NotApproved(address owner, address operator);
    error InsufficientBalance(address account, uint256 id, uint256 needed, uint256 available);
    error LengthMismatch(uint256 a, uint256 b);
    error ZeroAddress();
    error UnsafeRecipient(address to);

    constructor(address admin_) {
        if (admin_ == address(0)) revert ZeroAddress();
        admin = admin_;
    }

    function setMinter(address next) external {
        if (msg.sender != admin) revert NotAdmin(msg.sender);
        emit MinterChanged(minter, next);
        minter = next;
    }

    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return interfaceId == 0xd9b67a26 || interfaceId == 0x0e89341c || interfaceId == 0x01ffc9a7;
    }

    function uri(uint256) external pure returns (string memory) {
        return "secondgrid:kwh-certificate:{id}";
    }

    function balanceOf(address account, uint256 id) external view returns (uint256) {
        return balances[id][account];
    }

    function balanceOfBatch(address[] calldata accounts, uint256[] calldata ids) external view returns (uint256[] memory out) {
        if (accounts.length != ids.length) revert LengthMismatch(accounts.length, ids.length);
        out = new uint256[](accounts.length);
        for (uint256 i = 0; i < accounts.length; i++) out[i] = balances[ids[i]][accounts[i]];
    }

    function setApprovalForAll(address operator, bool approved) external {
        isApprovedForAll[msg.sender][operator] = approved;
        emit ApprovalForAll(msg.sender, operator, approved);
    }

    /// Mints wh[i] Wh of certificate `id` to to[i]; one TransferSingle per recipient. Minter only.
    function mintBatch(address[] calldata to, uint256 id, uint256[] calldata wh) external {
        if (msg.sender != minter) revert NotMinter(msg.sender);
        if (to.length != wh.length) revert LengthMismatch(to.length, wh.length);
        uint256 total;
        for (uint256 i = 0; i < to.length; i++) {
            address t = to[i];
            if (t == address(0)) revert ZeroAddress();
            balances[id][t] += wh[i];
            total += wh[i];
            emit TransferSingle(msg.sender, address(0), t, id, wh[i]);
        }
        totalSupply[id] += total;
    }

    function safeTransferFrom(address from, address to, uint256 id, uint256 value, bytes calldata data) external {
        if (from != msg.sender && !isApprovedForAll[from][msg.sender]) revert NotApproved(from, msg.sender);
        if (to == address(0)) revert ZeroAddress();
        _move(from, to, id, value);
        emit TransferSingle(msg.sender, from, to, id, value);
        if (to.code.length > 0
            && IERC1155Receiver(to).onERC1155Received(msg.sender, from, id, value, data)
                != IERC1155Receiver.onERC1155Received.selector) revert UnsafeRecipient(to);
    }

    function safeBatchTransferFrom(address from, address to, uint256[] calldata ids, uint256[] calldata values,
        bytes calldata data) external {
        if (from != msg.sender && !isApprovedForAll[from][msg.sender]) revert NotApproved(from, msg.sender);
        if (to == address(0)) revert ZeroAddress();
        if (ids.length != values.length) revert LengthMismatch(ids.length, values.length);
        for (uint256 i = 0; i < ids.length; i++) _move(from, to, ids[i], values[i]);
        emit TransferBatch(msg.sender, from, to, ids, values);
        if (to.code.length > 0
            && IERC1155Receiver(to).onERC1155BatchReceived(msg.sender, from, ids, values, data)
                != IERC1155Receiver.onERC1155BatchReceived.selector) revert UnsafeRecipient(to);
    }

    function _move(address from, address to, uint256 id, uint256 value) private {
        uint256 b = balances[id][from];
        if (b < value) revert InsufficientBalance(from, id, value, b);
        unchecked {
            balances[id][from] = b - value;
            balances[id][to] += value;
        }
    }
}
