# Installation of the server package's files and the Debian packages built
# from them with CPack (scripts/package.sh; README "Install and packages").
#
#   component server → sluice_<version>_<arch>.deb: /usr/bin/sluice, its man
#                      page, the copyright, and (package only) the systemd
#                      unit and /etc/sluice/sluice.toml
#   component sdk    → sluice-dev_<version>_<arch>.deb: the C++ SDK's header,
#                      static libraries, CMake package and sluice.pc
include(GNUInstallDirs)

set(SLUICE_PACKAGING_DIR ${PROJECT_SOURCE_DIR}/packaging/deb)

# The man page, compressed as Debian policy asks (gzip -9n: no name or time,
# so the same page gives the same bytes).
set(SLUICE_MAN_PAGE ${PROJECT_BINARY_DIR}/sluice.1.gz)
add_custom_command(OUTPUT ${SLUICE_MAN_PAGE}
  COMMAND sh -c "gzip -9n < \"$0\" > \"$1\"" ${PROJECT_SOURCE_DIR}/docs/sluice.1 ${SLUICE_MAN_PAGE}
  DEPENDS ${PROJECT_SOURCE_DIR}/docs/sluice.1
  VERBATIM)
add_custom_target(sluice_man_page ALL DEPENDS ${SLUICE_MAN_PAGE})
install(FILES ${SLUICE_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE RENAME copyright
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/sluice COMPONENT server)
install(FILES ${PROJECT_SOURCE_DIR}/LICENSE RENAME copyright
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/sluice-dev COMPONENT sdk)

# The packaged config: the documented example with the data under
# /var/lib/sluice, so the file a user reads is the file every key is
# explained in.
file(READ ${PROJECT_SOURCE_DIR}/config/sluice.example.toml SLUICE_EXAMPLE_CONFIG)
set(SLUICE_EXAMPLE_DATA_DIR_LINE "data_dir = \"./sluice-data\"")
string(FIND "${SLUICE_EXAMPLE_CONFIG}" "${SLUICE_EXAMPLE_DATA_DIR_LINE}" SLUICE_DATA_DIR_AT)
if(SLUICE_DATA_DIR_AT EQUAL -1)
  message(FATAL_ERROR "config/sluice.example.toml has no line `${SLUICE_EXAMPLE_DATA_DIR_LINE}` "
    "for cmake/packaging.cmake to point at /var/lib/sluice")
endif()
string(REPLACE "${SLUICE_EXAMPLE_DATA_DIR_LINE}" "data_dir = \"/var/lib/sluice\""
  SLUICE_PACKAGE_CONFIG "${SLUICE_EXAMPLE_CONFIG}")
file(CONFIGURE OUTPUT ${PROJECT_BINARY_DIR}/packaging/sluice.toml CONTENT "${SLUICE_PACKAGE_CONFIG}"
  @ONLY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${PROJECT_SOURCE_DIR}/config/sluice.example.toml)

# System files only a package installs: absolute paths that a
# `cmake --install --prefix ~/.local` must not touch (EXCLUDE_FROM_ALL keeps
# them out of every install that does not name the component).
install(FILES ${PROJECT_BINARY_DIR}/packaging/sluice.toml
  DESTINATION /etc/sluice COMPONENT server-system EXCLUDE_FROM_ALL)
install(FILES ${SLUICE_PACKAGING_DIR}/sluice.service
  DESTINATION /lib/systemd/system COMPONENT server-system EXCLUDE_FROM_ALL)

set(CPACK_PACKAGE_NAME sluice)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "the sluice authors")
set(SLUICE_PACKAGE_MAINTAINER "the sluice authors <sluice@localhost>" CACHE STRING
  "Maintainer field of the Debian packages")
set(CPACK_PACKAGE_CONTACT "${SLUICE_PACKAGE_MAINTAINER}")
# No CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPackDeb would put it before each
# package's own description; their first lines are the summaries.
set(CPACK_RESOURCE_FILE_LICENSE ${PROJECT_SOURCE_DIR}/LICENSE)
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL server server-system sdk)
# One package per group: server and server-system are sluice, sdk is sluice-dev.
set(CPACK_COMPONENTS_GROUPING ONE_PER_GROUP)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION video)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_DEBIAN_SLUICE_PACKAGE_NAME sluice)
set(CPACK_DEBIAN_SLUICE_FILE_NAME DEB-DEFAULT)
# The libraries' packages come from dpkg-shlibdeps (dpkg-dev); adduser is
# what postinst creates the system user with.
set(CPACK_DEBIAN_SLUICE_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_SLUICE_PACKAGE_DEPENDS "adduser")
set(CPACK_DEBIAN_SLUICE_DESCRIPTION
  "self-hosted live-streaming origin (RTMP in; RTMP and HTTP-FLV out)
Publishers push over RTMP (ffmpeg, OBS, GStreamer); viewers play over RTMP
or HTTP-FLV and start at once from a GOP cache. A stream-management API
wire-compatible with Volcengine Live's OpenAPI (2023-01-01, AK/SK signed)
lists, kills, forbids and resumes streams. This package holds the server
and the `sluice` command line, a systemd unit and its configuration.")
set(CPACK_DEBIAN_SLUICE_PACKAGE_CONTROL_EXTRA
  ${SLUICE_PACKAGING_DIR}/postinst ${SLUICE_PACKAGING_DIR}/prerm ${SLUICE_PACKAGING_DIR}/postrm
  ${SLUICE_PACKAGING_DIR}/conffiles)

set(CPACK_DEBIAN_SLUICE-DEV_PACKAGE_NAME sluice-dev)
set(CPACK_DEBIAN_SLUICE-DEV_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_SLUICE-DEV_PACKAGE_SECTION libdevel)
# Static libraries: their users link curl, libcrypto and Boost.JSON
# themselves (sluice.pc and the CMake package say so).
set(CPACK_DEBIAN_SLUICE-DEV_PACKAGE_DEPENDS
  "libcurl4-openssl-dev | libcurl-dev, libssl-dev, libboost-json1.81-dev")
set(CPACK_DEBIAN_SLUICE-DEV_DESCRIPTION
  "C++ SDK for sluice's and Volcengine Live's stream-management API
sluice::LiveService (include/sluice/live_service.hpp) calls the
stream-management actions with typed requests and responses, signed with
Volcengine's V4 scheme. Static libraries, a CMake package
(find_package(sluice), target sluice::sdk) and sluice.pc for pkg-config.")

include(CPack)
cpack_add_component(server GROUP sluice)
cpack_add_component(server-system GROUP sluice)
cpack_add_component(sdk GROUP sluice-dev)
