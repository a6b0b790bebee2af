# sluice_warnings(target): the warning set for Sluice's own code. Third-party headers are
# included as SYSTEM so their warnings never fail the build. -Wnull-dereference is left out:
# with g++ 12 it fires inside libstdc++ (streambuf) on ordinary ifstream use.
function(sluice_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wnon-virtual-dtor -Wold-style-cast -Wcast-align -Wunused
                         -Woverloaded-virtual -Wformat=2
                         -Wimplicit-fallthrough)
  if(SLUICE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
