#include <cstdio>
int main() { std::puts("gust " GUST_VERSION); }
