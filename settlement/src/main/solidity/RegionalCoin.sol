// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.30;

/// @title RegionalCoin: ERC-20 regional currency, 1 coin = 1 JPY (2 decimals, smallest unit 0.01 JPY).
/// @notice Only the platform operator mints (against yen received off chain) and burns (on redemption).
contract RegionalCoin {
    string public constant name = "SecondGrid Regional Coin";
    string public constant symbol = "SGJPY";
    uint8 public constant decimals = 2;

    uint256 public totalSupply;
    address public operator;
    mapping(address => uint256) public balanceOf;
    mapping(address => mapping(address => uint256)) public allowance;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event OperatorChanged(address indexed previous, address indexed next);

    error NotOperator(address caller);
    error InsufficientBalance(address account, uint256 needed, uint256 available);
    error InsufficientAllowance(address owner, address spender, uint256 needed, uint256 available);
    error ZeroAddress();

    constructor(address operator_) {
        if (operator_ == address(0)) revert ZeroAddress();
        operator = operator_;
        emit OperatorChanged(address(0), operator_);
    }

    modifier onlyOperator() {
        if (msg.sender != operator) revert NotOperator(msg.sender);
        _;
    }

    function setOperator(address next) external onlyOperator {
        if (next == address(0)) revert ZeroAddress();
        emit OperatorChanged(operator, next);
        operator = next;
    }

    function mint(address to, uint256 value) external onlyOperator {
        if (to == address(0)) revert ZeroAddress();
        totalSupply += value;
        unchecked { balanceOf[to] += value; }
        emit Transfer(address(0), to, value);
    }

    function burn(address from, uint256 value) external onlyOperator {
        uint256 b = balanceOf[from];
        if (b < value) revert InsufficientBalance(from, value, b);
        unchecked {
            balanceOf[from] = b - value;
            totalSupply -= value;
        }
        emit Transfer(from, address(0), value);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }

    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        uint256 a = allowance[from][msg.sender];
        if (a != type(uint256).max) {
            if (a < value) revert InsufficientAllowance(from, msg.sender, value, a);
            unchecked { allowance[from][msg.sender] = a - value; }
        }
        _transfer(from, to, value);
        return true;
    }

    function _transfer(address from, address to, uint256 value) private {
        if (to == address(0)) revert ZeroAddress();
        uint256 b = balanceOf[from];
        if (b < value) revert InsufficientBalance(from, value, b);
        unchecked {
            balanceOf[from] = b - value;
            balanceOf[to] += value;
        }
        emit Transfer(from, to, value);
    }
}
