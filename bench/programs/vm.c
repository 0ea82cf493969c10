// A bytecode interpreter inside the interpreter: a stack machine with a switch dispatch loop
// runs three programs (an iterative fib, a sieve, a recursive sum), each checked against the
// same computation in C. Written for Swim's bench.
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum Op { PUSH, LOAD, STORE, ADD, SUB, MUL, AND, LT, JMP, JZ, CALL, RET, ARG, HALT, MLOAD, MSTORE, DUP, DROP, MOD };
typedef struct { uint8_t op; int32_t a; } Insn;

static int64_t run(const Insn *code, int64_t *memory) {
    int64_t stack[4096], locals[16] = {0};
    int64_t frames[1024][3]; // return pc, stack base, argument
    int sp = 0, fp = 0, pc = 0;
    int64_t argument = 0;
    for (;;) {
        const Insn in = code[pc++];
        switch (in.op) {
        case PUSH: stack[sp++] = in.a; break;
        case LOAD: stack[sp++] = locals[in.a]; break;
        case STORE: locals[in.a] = stack[--sp]; break;
        case ADD: sp--; stack[sp - 1] += stack[sp]; break;
        case SUB: sp--; stack[sp - 1] -= stack[sp]; break;
        case MUL: sp--; stack[sp - 1] *= stack[sp]; break;
        case AND: sp--; stack[sp - 1] &= stack[sp]; break;
        case MOD: sp--; stack[sp - 1] %= stack[sp]; break;
        case LT: sp--; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
        case JMP: pc = in.a; break;
        case JZ: if (stack[--sp] == 0) pc = in.a; break;
        case CALL:
            frames[fp][0] = pc; frames[fp][1] = sp - 1; frames[fp][2] = argument; fp++;
            argument = stack[--sp];
            pc = in.a;
            break;
        case RET: {
            int64_t result = stack[--sp];
            fp--;
            pc = (int)frames[fp][0];
            argument = frames[fp][2];
            stack[sp++] = result;
            break;
        }
        case ARG: stack[sp++] = argument; break;
        case MLOAD: stack[sp - 1] = memory[stack[sp - 1]]; break;
        case MSTORE: sp -= 2; memory[stack[sp]] = stack[sp + 1]; break;
        case DUP: stack[sp] = stack[sp - 1]; sp++; break;
        case DROP: sp--; break;
        case HALT: return stack[sp - 1];
        }
    }
}

static Insn code[256];
static int length;
static int emit(int op, int32_t a) { code[length].op = (uint8_t)op; code[length].a = a; return length++; }
static void patch(int at) { code[at].a = length; }

// Iterative fib modulo 2^31: locals a, b, i.
static void fibProgram(int32_t n) {
    length = 0;
    emit(PUSH, 0); emit(STORE, 0); emit(PUSH, 1); emit(STORE, 1); emit(PUSH, 0); emit(STORE, 2);
    int loop = length;
    emit(LOAD, 2); emit(PUSH, n); emit(LT, 0); int exit = emit(JZ, 0);
    emit(LOAD, 0); emit(LOAD, 1); emit(ADD, 0); emit(PUSH, 0x7fffffff); emit(AND, 0);
    emit(LOAD, 1); emit(STORE, 0); emit(STORE, 1);
    emit(LOAD, 2); emit(PUSH, 1); emit(ADD, 0); emit(STORE, 2);
    emit(JMP, loop);
    patch(exit); emit(LOAD, 0); emit(HALT, 0);
}

// A sieve in memory: counts the primes below n. Locals i, j, count.
static void sieveProgram(int32_t n) {
    length = 0;
    emit(PUSH, 2); emit(STORE, 0); emit(PUSH, 0); emit(STORE, 2);
    int outer = length;
    emit(LOAD, 0); emit(PUSH, n); emit(LT, 0); int done = emit(JZ, 0);
    emit(LOAD, 0); emit(MLOAD, 0); int prime = emit(JZ, 0);
    int skip = emit(JMP, 0);
    patch(prime);
    emit(LOAD, 2); emit(PUSH, 1); emit(ADD, 0); emit(STORE, 2);
    emit(LOAD, 0); emit(LOAD, 0); emit(ADD, 0); emit(STORE, 1);
    int inner = length;
    emit(LOAD, 1); emit(PUSH, n); emit(LT, 0); int innerDone = emit(JZ, 0);
    emit(LOAD, 1); emit(PUSH, 1); emit(MSTORE, 0);
    emit(LOAD, 1); emit(LOAD, 0); emit(ADD, 0); emit(STORE, 1);
    emit(JMP, inner);
    patch(innerDone); patch(skip);
    emit(LOAD, 0); emit(PUSH, 1); emit(ADD, 0); emit(STORE, 0); emit(JMP, outer);
    patch(done); emit(LOAD, 2); emit(HALT, 0);
}

// sum(n) = n == 0 ? 0 : n % 7 + sum(n - 1), called `times` times with `n`. Locals total, k.
static void recursionProgram(int32_t n, int32_t times) {
    length = 0;
    emit(PUSH, 0); emit(STORE, 0); emit(PUSH, 0); emit(STORE, 1);
    int loop = length;
    emit(LOAD, 1); emit(PUSH, times); emit(LT, 0); int done = emit(JZ, 0);
    emit(PUSH, n); int call = emit(CALL, 0); emit(LOAD, 0); emit(ADD, 0); emit(STORE, 0);
    emit(LOAD, 1); emit(PUSH, 1); emit(ADD, 0); emit(STORE, 1); emit(JMP, loop);
    patch(done); emit(LOAD, 0); emit(HALT, 0);
    int entry = length;
    patch(call);
    emit(ARG, 0); int base = emit(JZ, 0);
    emit(ARG, 0); emit(PUSH, 7); emit(MOD, 0); emit(ARG, 0); emit(PUSH, 1); emit(SUB, 0);
    emit(CALL, entry); emit(ADD, 0); emit(RET, 0);
    patch(base); emit(PUSH, 0); emit(RET, 0);
}

int main(void) {
    const int32_t fibN = 2000000, sieveN = 300000, depth = 900, calls = 400;
    int64_t *memory = calloc((size_t)sieveN, sizeof(int64_t));

    fibProgram(fibN);
    int64_t fib = run(code, memory);
    uint32_t a = 0, b = 1;
    for (int32_t i = 0; i < fibN; i++) { uint32_t t = (a + b) & 0x7fffffff; a = b; b = t; }
    if (fib != a) { printf("FAIL: fib %lld, expected %u\n", (long long)fib, a); return 1; }

    sieveProgram(sieveN);
    int64_t primes = 0;
    for (int round = 0; round < 3; round++) {
        for (int32_t i = 0; i < sieveN; i++) memory[i] = 0;
        primes = run(code, memory);
    }
    int64_t expected = 0;
    char *composite = calloc((size_t)sieveN, 1);
    for (int32_t i = 2; i < sieveN; i++) {
        if (composite[i]) continue;
        expected++;
        for (int32_t j = i + i; j < sieveN; j += i) composite[j] = 1;
    }
    if (primes != expected) { printf("FAIL: sieve %lld, expected %lld\n", (long long)primes, (long long)expected); return 1; }

    recursionProgram(depth, calls);
    int64_t total = run(code, memory);
    int64_t sum = 0;
    for (int32_t k = 1; k <= depth; k++) sum += k % 7;
    if (total != sum * calls) { printf("FAIL: recursion %lld, expected %lld\n", (long long)total, (long long)(sum * calls)); return 1; }

    printf("fib %lld, %lld primes, sum %lld\n", (long long)fib, (long long)primes, (long long)total);
    return 0;
}
