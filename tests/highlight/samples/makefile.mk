# Build the guest tools.
CC ?= gcc
CFLAGS := -O2 -Wall $(shell pkg-config --cflags libvirt)
LDLIBS += $(shell pkg-config --libs libvirt)
PREFIX = /usr/local
SOURCES = $(wildcard src/*.c)
OBJECTS = $(SOURCES:.c=.o)

.PHONY: all clean install

all: guest-tools

guest-tools: $(OBJECTS)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)

%.o: %.c include/tools.h
	$(CC) $(CFLAGS) -c -o $@ $<

install: guest-tools
	install -m 755 $< $(DESTDIR)$(PREFIX)/bin/  # binary only
	@echo "installed to ${PREFIX}"

clean:
	rm -f $(OBJECTS) guest-tools

ifeq ($(DEBUG),1)
CFLAGS += -g
endif
